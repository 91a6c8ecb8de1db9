"""LRMX files written by hand from the schema (regulations.md §6.2, §6.4), for the tests."""

from __future__ import annotations

import base64
import datetime as dt
import io
import struct
import zlib

from cadres.idcard import make_id_number

ID_NUMBER = make_id_number("320483", dt.date(1975, 3, 12), 5, "M")
OPEN = " " * 7

RESUME = "\r\n".join(
    [
        "1993.09--1997.07  南京师范大学数学与应用数学专业学习",
        "1997.08--2010.07  常州市武进区第一实验小学教师",
        "2010.08--2016.07  常州市武进区第一实验小学教导主任",
        "（其间：2012.09--2015.07 在华东师范大学教育管理专业在职研究生学习，获教育学硕士学位）",
        f"2016.08--{OPEN}  常州市武进区第一实验小学副校长",
    ]
)
REWARDS = "\r\n".join(
    [
        "2015年09月，经常州市武进区人民政府批准，授予“优秀教育工作者”称号。",
        "2019年12月，经常州市教育局批准，记三等功。",
    ]
)
APPRAISALS = "2023年度考核为优秀，2024年、2025年年度考核为合格"

FAMILY = [
    ("妻子", "李梅", "197705", "中共党员", "常州市武进区人民医院护士"),
    ("儿子", "王磊", "200203", "共青团员", "南京大学学生"),
    ("父亲", "王德明", "194810", "中共党员", "退休"),
    ("母亲", "张秀英", "195002", "群众", "退休"),
    ("哥哥", "王建军", "197201", "群众", "常州市武进区某公司职工"),
]


def jpeg_bytes(size=(60, 75), color=(180, 40, 40)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG", quality=80)
    return out.getvalue()


def png_bytes(size=(60, 75), color=(40, 40, 180)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


# Hostile photos for the refusal and fuzz tests.


def _png(width: int, height: int, rows: bytes) -> bytes:
    """A greyscale PNG with the given header size and IDAT payload (compressed rows), checksums correct."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def png_bomb() -> bytes:
    """5000×4000 pixels of zeros in about 20 KB: over the pixel cap, tiny on the wire."""
    return _png(5000, 4000, zlib.compress(b"\0" * (5001 * 4000), 9))


def png_header_bomb() -> bytes:
    """A header claiming 60000×60000 pixels (Pillow's own bomb limit) with almost no data."""
    return _png(60000, 60000, zlib.compress(b"\0" * 60001, 9))


def png_damaged_body() -> bytes:
    """A small PNG whose compressed pixel data stops half-way."""
    return _png(300, 300, zlib.compress(b"\0" * (301 * 300), 9)[:40])


def jpeg_huge_header() -> bytes:
    """A real JPEG whose frame header is rewritten to 65000×65000."""
    data = bytearray(jpeg_bytes())
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, 65000, 65000)
    return bytes(data)


def _family_items(rows) -> str:
    items = []
    for relation, name, birth, status, unit in rows:
        items.append(
            "    <Item>\n"
            f"      <ChengWei>{relation}</ChengWei>\n"
            f"      <XingMing>{name}</XingMing>\n"
            f"      <ChuShengRiQi>{birth}</ChuShengRiQi>\n"
            f"      <ZhengZhiMianMao>{status}</ZhengZhiMianMao>\n"
            f"      <GongZuoDanWeiJiZhiWu>{unit}</GongZuoDanWeiJiZhiWu>\n"
            "    </Item>\n"
        )
    # Editors write ten fixed rows: the blank ones must be ignored.
    items.append("    <Item><ChengWei></ChengWei><XingMing></XingMing><ChuShengRiQi></ChuShengRiQi></Item>\n")
    return "".join(items)


def sample_values(photo: bytes | None = None) -> dict[str, str]:
    """Element text by tag for the full sample person (a vice principal with family and in-service study)."""
    return {
        "XingMing": "王建国",
        "XingBie": "男",
        "ChuShengNianYue": "197503",
        "MinZu": "汉族",
        "JiGuan": "江苏常州",
        "ChuShengDi": "江苏武进",
        "RuDangShiJian": "199806",
        "CanJiaGongZuoShiJian": "199708",
        "JianKangZhuangKuang": "健康",
        "ZhuanYeJiShuZhiWu": "高级教师",
        "ShuXiZhuanYeYouHeZhuanChang": "中学数学教学与学校管理",
        "QuanRiZhiJiaoYu_XueLi": "大学本科",
        "QuanRiZhiJiaoYu_XueWei": "学士",
        "QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "南京师范大学数学与应用数学专业",
        "QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "",
        "ZaiZhiJiaoYu_XueLi": "硕士研究生",
        "ZaiZhiJiaoYu_XueWei": "硕士",
        "ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi": "华东师范大学教育管理专业",
        "ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi": "",
        "XianRenZhiWu": "常州市武进区第一实验小学副校长",
        "NiRenZhiWu": "常州市武进区第一实验小学校长",
        "NiMianZhiWu": "常州市武进区第一实验小学副校长",
        "JianLi": RESUME,
        "JiangChengQingKuang": REWARDS,
        "NianDuKaoHeJieGuo": APPRAISALS,
        "RenMianLiYou": "工作需要",
        "ChengBaoDanWei": "常州市武进区教育局",
        "JiSuanNianLingShiJian": "20250601",
        "TianBiaoShiJian": "20250601",
        "TianBiaoRen": "组织人事科",
        "ShenFenZheng": ID_NUMBER,
        "ZhaoPian": base64.b64encode(jpeg_bytes() if photo is None else photo).decode("ascii"),
        "Version": "3.2.1.16",
    }


ORDER = list(sample_values(b"x"))


def build_xml(
    values: dict[str, str] | None = None,
    *,
    family=FAMILY,
    encoding: str = "UTF-8",
    root: str = "Person",
    prolog: str = "",
    **overrides: str | None,
) -> str:
    """The XML text of a file; `overrides` replace element text (None leaves the element out)."""
    values = dict(values or sample_values())
    values.update(overrides)
    lines = [f'<?xml version="1.0" encoding="{encoding}"?>', prolog, f"<{root}>"]
    for tag in ORDER:
        if tag == "ChengBaoDanWei":
            lines.append(f"  <JiaTingChengYuan>\n{_family_items(family)}  </JiaTingChengYuan>")
        if values.get(tag) is not None:
            lines.append(f"  <{tag}>{values[tag]}</{tag}>")
    lines.append(f"</{root}>")
    return "\r\n".join(line for line in lines if line)


def sample_file(**kwargs) -> bytes:
    return build_xml(**kwargs).encode("utf-8")
