<?php

declare(strict_types=1);

namespace Slotbook\Exception;

/**
 * Any refusal or failure of the API. getCode() is the API's error code (a string, e.g.
 * INSUFFICIENT_CREDITS), getMessage() its message, getStatus() the HTTP status (null when no
 * answer came), getDetails() the fields at fault.
 */
class SlotbookException extends \RuntimeException
{
    /**
     * @param list<array<string, mixed>> $details
     * @param array<string, string> $headers
     */
    public function __construct(
        string $message,
        string $code,
        private readonly ?int $status = null,
        private readonly array $details = [],
        private readonly array $headers = [],
        private readonly ?int $numericCode = null,
        private readonly ?string $legacyCode = null,
        ?\Throwable $previous = null,
    ) {
        parent::__construct($message, 0, $previous);
        // As PDOException does: the code of an API error is a string.
        $this->code = $code;
    }

    public function getErrorCode(): string
    {
        return (string) $this->code;
    }

    public function getStatus(): ?int
    {
        return $this->status;
    }

    /** @return list<array<string, mixed>> */
    public function getDetails(): array
    {
        return $this->details;
    }

    /** @return array<string, string> response headers, lower-case names */
    public function getHeaders(): array
    {
        return $this->headers;
    }

    public function getNumericCode(): ?int
    {
        return $this->numericCode;
    }

    public function getLegacyCode(): ?string
    {
        return $this->legacyCode;
    }
}
