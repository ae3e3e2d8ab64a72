<?php
use Slotbook\Client;

$client = new Client(getenv('SLOTBOOK_API_KEY'));
$cancelled = $client->appointments->cancel(123);

echo "Appointment cancelled" . PHP_EOL;
echo "New status: {$cancelled->status}" . PHP_EOL;
echo "1 credit refunded" . PHP_EOL;
