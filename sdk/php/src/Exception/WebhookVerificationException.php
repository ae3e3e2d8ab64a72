<?php

declare(strict_types=1);

namespace Slotbook\Exception;

/** The webhook delivery cannot be trusted: getCode() says why (e.g. WEBHOOK_SIGNATURE_MISMATCH). */
class WebhookVerificationException extends SlotbookException
{
}
