<?php
use Slotbook\Client;

$client = new Client(getenv('SLOTBOOK_API_KEY'));

// Simple list
$page = $client->appointments->list();

// With filters
$filtered = $client->appointments->list([
    'page' => 0,
    'size' => 20,
    'status' => 'SCHEDULED',
    'departmentId' => 5,
    'externalUserId' => 'customer_12345',
    'startDate' => '2026-02-01T00:00:00',
    'endDate' => '2026-02-28T23:59:59'
]);

echo "Total: {$filtered->totalElements}" . PHP_EOL;
foreach ($filtered->appointments as $apt) {
    echo "{$apt->name} - {$apt->dateTime}" . PHP_EOL;
}
