<?php

declare(strict_types=1);

namespace Slotbook\Resource;

use Slotbook\Record;

/** $client->credits: the organization's credit balance and ledger. */
final class Credits extends Resource
{
    /** balance, creditsLowThreshold and one page of the ledger, newest first. */
    public function get(?int $page = null, ?int $size = null): Record
    {
        return $this->client->request('GET', self::API . '/credits', ['page' => $page, 'size' => $size]);
    }

    /** Send credits.low when a debit takes the balance under $threshold (null: never; scope admin). */
    public function setLowThreshold(?int $threshold): Record
    {
        return $this->client->request('PATCH', self::API . '/credits', body: ['creditsLowThreshold' => $threshold]);
    }
}
