# The moncreneau documents' snippet, run as written (package name and key changed; the base
# URL comes from SLOTBOOK_BASE_URL).
import os

from slotbook_client import MoncreneauClient
from slotbook_client.exceptions import InsufficientCreditsError

client = MoncreneauClient(os.environ['SLOTBOOK_API_KEY'])

try:
    appointment = client.appointments.create(
        department_id=5,
        date_time='2026-02-15T10:00:00',
        name='Amadou Diallo',
        worker_id=42,
        external_user_id='customer_12345'
    )

    print(f"Appointment created with ID: {appointment.id}")
    print(f"QR Code: {appointment.qr_code}")
except InsufficientCreditsError as e:
    print(f"Insufficient credits: {e}")
