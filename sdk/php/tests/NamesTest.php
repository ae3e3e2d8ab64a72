<?php

declare(strict_types=1);

namespace Slotbook\Tests;

use PHPUnit\Framework\TestCase;
use Slotbook\Client;
use Slotbook\Moncreneau;
use Slotbook\Resource\Appointments;
use Slotbook\Slotbook;
use Slotbook\SlotbookClient;

final class NamesTest extends TestCase
{
    public function testTheMoncreneauNamesAreTheSameClient(): void
    {
        foreach ([Moncreneau::class, Slotbook::class, SlotbookClient::class] as $class) {
            $made = new $class('key', ['baseUrl' => 'http://127.0.0.1:1']);
            self::assertInstanceOf(Client::class, $made);
            self::assertInstanceOf(Appointments::class, $made->appointments);
        }
    }
}
