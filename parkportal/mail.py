"""The development server's outgoing mail (settings.dev): nothing leaves the machine."""

import logging

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

logger = logging.getLogger(__name__)


def _reserved(address: str) -> bool:
    # RFC 2606: ".invalid" never resolves. The demo users' addresses are there.
    return address.rstrip(">").rsplit("@", 1)[-1].lower().endswith(".invalid")


class DevEmailBackend(ConsoleEmailBackend):
    """Django's console backend, except that mail whose every recipient is at a
    ``.invalid`` domain (the demo users, whose demo content alone sends about a
    hundred workflow mails) is logged in one line at DEBUG instead of printed."""

    def send_messages(self, email_messages):
        printed = []
        for message in email_messages:
            recipients = message.recipients()
            if recipients and all(_reserved(address) for address in recipients):
                logger.debug("mail to %s not sent (reserved domain): %s", ", ".join(recipients), message.subject)
            else:
                printed.append(message)
        if printed:
            super().send_messages(printed)
        return len(email_messages)
