<?php

declare(strict_types=1);

namespace Slotbook\Resource;

use Slotbook\Client;

/** A resource of the API: its methods build calls and hand them to the client. */
abstract class Resource
{
    protected const API = 'api/v1';

    public function __construct(protected readonly Client $client)
    {
    }

    protected static function id(int|string $id): string
    {
        $text = (string) $id;
        if (!ctype_digit($text)) {
            throw new \InvalidArgumentException("an id is a positive integer, not \"$text\"");
        }
        return $text;
    }

    /**
     * The If-Match header for a version: a number (e.g. 3), an ETag as the API sent it or "*".
     *
     * @return array<string, string>
     */
    protected static function ifMatch(int|string|null $version): array
    {
        if ($version === null) {
            return [];
        }
        if (is_int($version) || ctype_digit($version)) {
            return ['If-Match' => '"' . (int) $version . '"'];
        }
        return ['If-Match' => $version];
    }

    /**
     * @param array<string, mixed> $fields
     * @return array<string, mixed> without the fields left null
     */
    protected static function given(array $fields): array
    {
        return array_filter($fields, static fn (mixed $value): bool => $value !== null);
    }
}
