<?php

declare(strict_types=1);

namespace Slotbook\Resource;

use Slotbook\Record;

/** $client->departments: the departments your key can book in. */
final class Departments extends Resource
{
    /** @return list<Record> every department, each with its organization */
    public function list(): array
    {
        return $this->client->request('GET', self::API . '/departments');
    }

    public function get(int|string $id): Record
    {
        return $this->client->request('GET', self::API . '/departments/' . self::id($id));
    }
}
