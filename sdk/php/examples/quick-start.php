<?php
// Quick start: list the departments, find a free slot, book it, read it back, cancel it.
require 'vendor/autoload.php';

use Slotbook\Client;
use Slotbook\Exception\InsufficientCreditsException;

// The key and the server come from SLOTBOOK_API_KEY and SLOTBOOK_BASE_URL.
$client = new Client();

foreach ($client->departments->list() as $department) {
    echo "{$department->id} {$department->name} - {$department->organization->name}" . PHP_EOL;
}

// Free slots of department 5 over the next week (their times carry the UTC offset).
$slot = $client->availability->slots(['departmentId' => 5])->slots[0];

try {
    $appointment = $client->appointments->create([
        'departmentId' => 5,
        'dateTime' => $slot->start,
        'name' => 'Amadou Diallo',
        'workerId' => $slot->workerIds[0],
        'externalUserId' => 'customer_12345',
    ]);
    echo "Booked {$appointment->id} at {$appointment->dateTime}, QR code {$appointment['qrCode']}" . PHP_EOL;

    $again = $client->appointments->get($appointment->id);
    echo "Status: {$again->status}" . PHP_EOL;

    $cancelled = $client->appointments->cancel($appointment->id, reason: 50, note: 'changed plans');
    echo "New status: {$cancelled->status}" . PHP_EOL;
} catch (InsufficientCreditsException $e) {
    echo "No credit left: {$e->getMessage()}" . PHP_EOL;
}
