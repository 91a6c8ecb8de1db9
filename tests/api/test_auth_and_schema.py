"""Token issuing for scripts, and the OpenAPI schema that documents the API (to logged-in users only)."""

import pytest
import yaml
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

API_PATHS = {
    "/api/auth/token/",
    "/api/people/",
    "/api/people/{id}/",
    "/api/organizations/",
    "/api/organizations/{id}/",
    "/api/posts/",
    "/api/posts/{id}/",
    "/api/tenures/",
    "/api/tenures/{id}/",
    "/api/roster/import/",
    "/api/people/{id}/veto/",
    "/api/people/{id}/photo/",
    "/api/veto/blocked/",
    "/api/veto/check/",
}


def test_script_obtains_a_token_with_username_and_password_and_uses_it(api_client, school_secretary, school):
    response = api_client.post("/api/auth/token/", {"username": "secretary", "password": "pw-Cadre-2026"})
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=school_secretary).key == key
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/organizations/").json()["results"][0]["id"] == school.pk


def test_wrong_password_gets_no_token_and_a_chinese_message(api_client, school_secretary):
    response = api_client.post("/api/auth/token/", {"username": "secretary", "password": "wrong"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["无法使用提供的认证信息登录。"]}
    assert not Token.objects.exists()


def test_the_schema_is_refused_to_anonymous_requests(api_client):
    response = api_client.get("/api/schema/")
    assert response.status_code == 403
    assert "openapi" not in response.content.decode()


def test_schema_endpoint_serves_valid_openapi_with_the_registry_paths(api_client, officer):
    api_client.force_authenticate(officer)
    response = api_client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    assert schema["openapi"].startswith("3.")
    assert API_PATHS <= set(schema["paths"])
    people_params = {p["name"] for p in schema["paths"]["/api/people/"]["get"]["parameters"]}
    assert {"organization", "organization_code", "post_kind", "title", "min_age", "max_age", "q", "on"} <= people_params
    tenure_params = {p["name"] for p in schema["paths"]["/api/tenures/"]["get"]["parameters"]}
    assert {"person", "post", "current"} <= tenure_params
    upload = schema["paths"]["/api/roster/import/"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert {"201", "400"} <= set(upload["responses"])


def test_the_registry_api_schema_generates_without_warnings():
    GENERATOR_STATS.reset()  # only this API's views: other apps' warnings are theirs to fix
    schema = SchemaGenerator(urlconf="cadres.api.urls").get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "drf-spectacular emitted warnings or errors for cadres.api"
    assert {f"/api{path}" for path in schema["paths"]} == API_PATHS


def test_family_relative_is_documented_as_optional():
    schema = SchemaGenerator(urlconf="cadres.api.urls").get_schema(request=None, public=True)
    family = schema["components"]["schemas"]["FamilyMember"]
    assert "relative" in family["properties"]
    assert "relative" not in family["required"]
