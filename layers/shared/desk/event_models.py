"""The events AWS services send the desk, parsed leniently: only what the desk reads is required.

SES sends mail it could not fully read too, and such mail must still become a request; S3's
notification carries more than the check needs, and emulators send less.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Verdict(BaseModel):
    model_config = ConfigDict(extra="ignore")
    status: str = ""


class SesReceipt(BaseModel):
    # SES's own field names, kept as they arrive.
    model_config = ConfigDict(extra="ignore")
    recipients: list[str] = Field(default_factory=list)
    spamVerdict: Verdict = Field(default_factory=Verdict)
    virusVerdict: Verdict = Field(default_factory=Verdict)
    spfVerdict: Verdict = Field(default_factory=Verdict)
    dkimVerdict: Verdict = Field(default_factory=Verdict)
    dmarcVerdict: Verdict = Field(default_factory=Verdict)

    def verdicts(self) -> dict[str, str]:
        return {
            "spam": self.spamVerdict.status,
            "virus": self.virusVerdict.status,
            "spf": self.spfVerdict.status,
            "dkim": self.dkimVerdict.status,
            "dmarc": self.dmarcVerdict.status,
        }


class SesMail(BaseModel):
    model_config = ConfigDict(extra="ignore")
    messageId: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._-]+$")
    source: str = ""


class SesMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    mail: SesMail
    receipt: SesReceipt = Field(default_factory=SesReceipt)


class SesRecord(BaseModel):
    model_config = ConfigDict(extra="ignore")
    eventSource: Literal["aws:ses"]
    ses: SesMessage


class SesEvent(BaseModel):
    model_config = ConfigDict(extra="ignore")
    Records: list[SesRecord]


class S3Bucket(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = Field(min_length=3, max_length=63)


class S3Object(BaseModel):
    model_config = ConfigDict(extra="ignore")
    key: str = Field(min_length=1, max_length=1024)
    size: int = 0


class S3Entity(BaseModel):
    model_config = ConfigDict(extra="ignore")
    bucket: S3Bucket
    object: S3Object


class S3Record(BaseModel):
    model_config = ConfigDict(extra="ignore")
    eventSource: Literal["aws:s3"]
    eventName: str = ""
    s3: S3Entity


class S3Event(BaseModel):
    model_config = ConfigDict(extra="ignore")
    Records: list[S3Record]


class SnsMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    Message: str


class SnsRecord(BaseModel):
    model_config = ConfigDict(extra="ignore")
    EventSource: Literal["aws:sns"]
    Sns: SnsMessage


class SnsEvent(BaseModel):
    model_config = ConfigDict(extra="ignore")
    Records: list[SnsRecord]
