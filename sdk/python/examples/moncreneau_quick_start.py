# The moncreneau documents' snippet, run as written (package name and key changed; the base
# URL comes from SLOTBOOK_BASE_URL).
import os

# Installation: pip install ./sdk/python
from slotbook_client import Moncreneau
client = Moncreneau(os.environ['SLOTBOOK_API_KEY'])
# Create an appointment
appointment = client.appointments.create(
    department_id=5,
    date_time='2026-01-25T14:30:00',
    user_name='Jean Dupont',
    worker_id=42 # Optional (required if showAdminsInBooking=true)
)
print(f"Appointment created: {appointment['id']}")
