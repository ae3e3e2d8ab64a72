<?php

declare(strict_types=1);

namespace Slotbook\Resource;

use Slotbook\Record;

/** $client->availability: free slots, and why a given time is not bookable. */
final class Availability extends Resource
{
    private const PATH = self::API . '/appointments/available-slots';

    /**
     * Free start times between two local dates (default: 7 days from today, at most 62):
     * slots of {start, end, workerIds, remaining}; scheduled is false without hours. Query:
     * departmentId, appointmentTypeId, workerId, startDate, endDate.
     *
     * @param array<string, mixed> $query
     */
    public function slots(array $query): Record
    {
        return $this->client->request('GET', self::PATH, $query);
    }

    /**
     * Whether dateTime is bookable, the rules it breaks and, per worker, every reason. Query:
     * departmentId, dateTime, appointmentTypeId, workerId, externalUserId.
     *
     * @param array<string, mixed> $query
     */
    public function explain(array $query): Record
    {
        return $this->client->request('GET', self::PATH . '/explain', $query);
    }
}
