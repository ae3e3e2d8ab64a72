<?php
// Options, and the typed exceptions: each carries the API's code, status and message.
require 'vendor/autoload.php';

use Slotbook\Client;
use Slotbook\Exception\NotFoundException;

$client = new Client(getenv('SLOTBOOK_API_KEY'), [
    'baseUrl' => getenv('SLOTBOOK_BASE_URL') ?: 'http://127.0.0.1:8000',
    'maxRetries' => 3,
]);
echo "Credits left: {$client->credits->get()->balance}" . PHP_EOL;

try {
    $client->appointments->get(999999);
} catch (NotFoundException $e) {
    echo "{$e->getStatus()} {$e->getCode()}: {$e->getMessage()}" . PHP_EOL;
}
