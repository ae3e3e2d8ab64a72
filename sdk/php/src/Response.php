<?php

declare(strict_types=1);

namespace Slotbook;

/** What one attempt gave: an HTTP answer, or a curl error (status 0). */
final class Response
{
    /** @param array<string, string> $headers lower-case names */
    public function __construct(
        public readonly int $status,
        public readonly array $headers,
        public readonly string $body,
        public readonly int $curlError = 0,
        public readonly string $curlMessage = '',
    ) {
    }
}
