# The moncreneau documents' snippet, run as written (package name and key changed; the base
# URL comes from SLOTBOOK_BASE_URL).
import os

from slotbook_client import MoncreneauClient

client = MoncreneauClient(os.environ['SLOTBOOK_API_KEY'])
cancelled = client.appointments.cancel(123)

print('Appointment cancelled')
print(f'New status: {cancelled.status}')
print('1 credit refunded')
