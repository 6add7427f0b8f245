"""How a message is written for SMTP."""

from email.policy import compat32

# The classic policy's folding (see auditor.delivery.message), with SMTP's CRLF line ends:
# smtplib sends bytes as they are.
WIRE = compat32.clone(linesep="\r\n")
