<?php
// A webhook endpoint (e.g. public/webhooks.php): verify each delivery's signature on the raw
// body, then act on it.
require 'vendor/autoload.php';

use Slotbook\Exception\WebhookVerificationException;
use Slotbook\Webhook;

// The endpoint's secret (whsec_...), shown once when you registered the webhook.
$secret = getenv('SLOTBOOK_WEBHOOK_SECRET');

try {
    $event = Webhook::verify(file_get_contents('php://input'), getallheaders(), $secret);
    error_log("{$_SERVER['HTTP_WEBHOOK_ID']} {$event->type}: appointment {$event->data->appointment->id}");
    http_response_code(204);
} catch (WebhookVerificationException $e) {
    error_log("refused: {$e->getCode()}");
    http_response_code(400);
    echo $e->getCode();
}
