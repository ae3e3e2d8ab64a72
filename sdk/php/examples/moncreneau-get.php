<?php
use Slotbook\Client;

$client = new Client(getenv('SLOTBOOK_API_KEY'));
$appointment = $client->appointments->get(123);

echo "Status: {$appointment->status}" . PHP_EOL;
echo "Date: {$appointment->dateTime}" . PHP_EOL;
echo "Beneficiary: {$appointment->name}" . PHP_EOL;
