"""Celery task for assembling a committee pack, used only when a broker is configured."""

from celery import shared_task


@shared_task
def build_pack_task(build_id: int) -> str:
    from .services import pack_build_run

    return pack_build_run(build_id).status
