# The moncreneau documents' snippet, run as written (package name and key changed; the base
# URL comes from SLOTBOOK_BASE_URL).
import os

from slotbook_client import MoncreneauClient

client = MoncreneauClient(os.environ['SLOTBOOK_API_KEY'])
appointment = client.appointments.get(123)

print(f"Status: {appointment.status}")
print(f"Date: {appointment.date_time}")
print(f"Beneficiary: {appointment.name}")
