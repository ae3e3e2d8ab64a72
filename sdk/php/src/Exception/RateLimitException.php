<?php

declare(strict_types=1);

namespace Slotbook\Exception;

/** 429: too many requests; getRetryAfter() is the wait in seconds the API asked for. */
class RateLimitException extends SlotbookException
{
    private ?float $retryAfter = null;

    public static function withRetryAfter(self $error, ?float $seconds): self
    {
        $error->retryAfter = $seconds;
        return $error;
    }

    public function getRetryAfter(): ?float
    {
        return $this->retryAfter;
    }
}
