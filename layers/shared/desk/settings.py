"""The settings a function receives from its environment, validated when first used, never at import."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from desk import runtime


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    stage: str = Field(default="local", alias="STAGE")
    table_name: str = Field(default="", alias="TABLE_NAME")
    documents_bucket: str = Field(default="", alias="DOCUMENTS_BUCKET")
    support_address: str = Field(default="", alias="SUPPORT_ADDRESS")
    site_url: str = Field(default="", alias="SITE_URL")
    api_url: str = Field(default="", alias="API_URL")
    signing_secret_id: str = Field(default="", alias="SIGNING_SECRET_ID")
    user_pool_id: str = Field(default="", alias="USER_POOL_ID")
    # Seconds of wall time one working day of waiting lasts; 0 means real time. Only the local stack's
    # demonstration mode sets it: deadlines keep their real dates, only the waits are shortened.
    working_day_seconds: float = Field(default=0.0, alias="WORKING_DAY_SECONDS", ge=0)
    default_language: str = Field(default="id", alias="DEFAULT_LANGUAGE")
    # In AWS a file is served only once GuardDuty's malware scan tagged it clean; the local stack has
    # no scanner, and says so (README, Documents).
    require_malware_scan: bool = Field(default=True, alias="REQUIRE_MALWARE_SCAN")
    # SES reports bounces and complaints of mail sent with this configuration set (empty: none).
    mail_configuration_set: str = Field(default="", alias="MAIL_CONFIGURATION_SET")
    registration_workflow_arn: str = Field(default="", alias="REGISTRATION_WORKFLOW_ARN")


@runtime.cached
def get_settings() -> Settings:
    return Settings.model_validate(dict(runtime.current().environ))
