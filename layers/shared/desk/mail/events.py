"""The SES receipt event, parsed leniently: only what the desk reads is required, because SES sends
mail it could not fully read too, and such mail must still become a request."""

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
