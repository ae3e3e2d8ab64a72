<?php

declare(strict_types=1);

namespace Slotbook\Resource;

use Slotbook\Record;

/** $client->appointments: book, read, list, reschedule, cancel and move through statuses. */
final class Appointments extends Resource
{
    private const PATH = self::API . '/appointments';

    /**
     * Book an appointment (consumes 1 credit): departmentId, dateTime (without offset: the
     * department's local time), name (or userName), and optionally workerId, externalUserId,
     * appointmentTypeId, clientId, patientId, client, notes, reason, isUrgent, repeatRule,
     * rrule. An Idempotency-Key is generated unless given, and reused by every retry.
     *
     * @param array<string, mixed> $data
     */
    public function create(array $data, ?string $idempotencyKey = null): Record
    {
        if (!isset($data['name']) && isset($data['userName'])) {
            $data['name'] = $data['userName'];
        }
        unset($data['userName']);
        return $this->client->request('POST', self::PATH, body: self::given($data), idempotencyKey: $idempotencyKey);
    }

    public function get(int|string $id): Record
    {
        return $this->client->request('GET', self::PATH . '/' . self::id($id));
    }

    /**
     * One page: appointments, page, size, totalElements, totalPages, isLast. Filters: page,
     * size, status, departmentId, externalUserId, startDate, endDate, workerId, clientId,
     * patientId, appointmentTypeId, isUrgent, archived, includePast, q (["name:~dupont"]), sort.
     *
     * @param array<string, mixed> $filters
     */
    public function list(array $filters = []): Record
    {
        return $this->client->request('GET', self::PATH, self::listParams($filters));
    }

    /**
     * Every appointment matching the filters of list(), fetched page after page as you iterate.
     *
     * @param array<string, mixed> $filters
     * @return \Generator<int, Record>
     */
    public function listAll(array $filters = []): \Generator
    {
        $params = ['size' => 100] + self::listParams($filters);
        $params['page'] = 0;
        while (true) {
            $page = $this->client->request('GET', self::PATH, $params);
            yield from $page->appointments;
            if ($page->isLast !== false || $page->appointments === []) {
                return;
            }
            $params['page'] = $page->page + 1;
        }
    }

    /**
     * Change an appointment (PATCH): dateTime, workerId, appointmentTypeId move it under the
     * booking rules, atomically; notes, reason, isUrgent, telehealthUrl (null clears a text),
     * applyToRepeats.
     *
     * @param array<string, mixed> $changes
     */
    public function update(
        int|string $id,
        array $changes,
        int|string|null $ifMatch = null,
        ?string $idempotencyKey = null,
    ): Record {
        return $this->client->request(
            'PATCH',
            self::PATH . '/' . self::id($id),
            body: $changes,
            idempotencyKey: $idempotencyKey,
            headers: self::ifMatch($ifMatch),
        );
    }

    /** Move it to another time (and worker or type); if the new time is refused, the old one is kept. */
    public function reschedule(
        int|string $id,
        string|\DateTimeInterface|null $dateTime = null,
        ?int $workerId = null,
        ?int $appointmentTypeId = null,
        int|string|null $ifMatch = null,
        ?string $idempotencyKey = null,
    ): Record {
        $to = self::given(['dateTime' => $dateTime, 'workerId' => $workerId, 'appointmentTypeId' => $appointmentTypeId]);
        return $this->update($id, $to, $ifMatch, $idempotencyKey);
    }

    /**
     * Cancel and refund its credit; cancelling again refunds nothing. $reason: 10 feeling
     * better, 20 condition worse, 30 sick, 40 away, 50 other, 60 work; $note a text;
     * $applyToRepeats also cancels the later occurrences of its series.
     */
    public function cancel(
        int|string $id,
        ?int $reason = null,
        ?string $note = null,
        ?bool $applyToRepeats = null,
        int|string|null $ifMatch = null,
        ?string $idempotencyKey = null,
    ): Record {
        $path = self::PATH . '/' . self::id($id);
        $headers = self::ifMatch($ifMatch);
        if ($reason === null && $note === null && $applyToRepeats === null) {
            return $this->client->request('DELETE', $path, idempotencyKey: $idempotencyKey, headers: $headers);
        }
        $body = self::given(['cancellationReason' => $reason, 'cancellationNote' => $note, 'applyToRepeats' => $applyToRepeats]);
        return $this->client->request('POST', "$path/cancel", body: $body, idempotencyKey: $idempotencyKey, headers: $headers);
    }

    public function confirm(int|string $id, int|string|null $ifMatch = null): Record
    {
        return $this->transition($id, 'confirm', $ifMatch);
    }

    public function checkIn(int|string $id, int|string|null $ifMatch = null): Record
    {
        return $this->transition($id, 'check-in', $ifMatch);
    }

    public function complete(int|string $id, int|string|null $ifMatch = null): Record
    {
        return $this->transition($id, 'complete', $ifMatch);
    }

    public function noShow(int|string $id, int|string|null $ifMatch = null): Record
    {
        return $this->transition($id, 'no-show', $ifMatch);
    }

    public function archive(int|string $id, int|string|null $ifMatch = null): Record
    {
        return $this->transition($id, 'archive', $ifMatch);
    }

    /** Check in the appointment whose qrCode the desk scanned. */
    public function checkInByQr(string $qrCode): Record
    {
        return $this->client->request('POST', self::API . '/check-in', body: ['qrCode' => $qrCode]);
    }

    public function history(int|string $id, ?int $page = null, ?int $size = null): Record
    {
        return $this->client->request('GET', self::PATH . '/' . self::id($id) . '/history', ['page' => $page, 'size' => $size]);
    }

    public function conflicts(int|string $id): Record
    {
        return $this->client->request('GET', self::PATH . '/' . self::id($id) . '/conflicts');
    }

    private function transition(int|string $id, string $action, int|string|null $ifMatch): Record
    {
        return $this->client->request('POST', self::PATH . '/' . self::id($id) . "/$action", headers: self::ifMatch($ifMatch));
    }

    /**
     * @param array<string, mixed> $filters
     * @return array<string, mixed>
     */
    private static function listParams(array $filters): array
    {
        if (array_key_exists('q', $filters)) {
            $filters['q[]'] = (array) $filters['q'];
            unset($filters['q']);
        }
        return $filters;
    }
}
