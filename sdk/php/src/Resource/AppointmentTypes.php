<?php

declare(strict_types=1);

namespace Slotbook\Resource;

use Slotbook\Record;

/** $client->appointmentTypes: what can be booked, with its duration. */
final class AppointmentTypes extends Resource
{
    /**
     * @param array<string, mixed> $params
     * @return list<Record>
     */
    public function list(array $params = []): array
    {
        return $this->client->request('GET', self::API . '/appointment-types', $params);
    }
}
