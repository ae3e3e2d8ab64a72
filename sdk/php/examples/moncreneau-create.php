<?php
use Slotbook\Client;
use Slotbook\Exception\InsufficientCreditsException;

$client = new Client(getenv('SLOTBOOK_API_KEY'));

try {
    $appointment = $client->appointments->create([
        'departmentId' => 5,
        'dateTime' => '2026-02-15T10:00:00',
        'name' => 'Amadou Diallo',
        'externalUserId' => 'customer_12345'
    ]);

    echo "Appointment created with ID: {$appointment->id}" . PHP_EOL;
    echo "QR Code: {$appointment->qrCode}" . PHP_EOL;
} catch (InsufficientCreditsException $e) {
    echo "Insufficient credits: {$e->getMessage()}" . PHP_EOL;
}
