<?php
// Installation: composer require slotbook/client
require 'vendor/autoload.php';
$client = new \Slotbook\Moncreneau(getenv('SLOTBOOK_API_KEY'));
// Create an appointment
$appointment = $client->appointments->create([
    'departmentId' => 5,
    'dateTime' => '2026-01-25T14:30:00',
    'name' => 'Jean Dupont',
    'workerId' => 42, // Optional (required if showAdminsInBooking=true)
]);
echo "Appointment created: " . $appointment['id'];
