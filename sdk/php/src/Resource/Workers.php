<?php

declare(strict_types=1);

namespace Slotbook\Resource;

use Slotbook\Record;

/** $client->workers: the staff who take appointments. */
final class Workers extends Resource
{
    /**
     * @param array<string, mixed> $params
     * @return list<Record>
     */
    public function list(array $params = []): array
    {
        return $this->client->request('GET', self::API . '/workers', $params);
    }

    public function get(int|string $id): Record
    {
        return $this->client->request('GET', self::API . '/workers/' . self::id($id));
    }
}
