# The moncreneau documents' snippet, run as written (package name and key changed; the base
# URL comes from SLOTBOOK_BASE_URL).
import os

from slotbook_client import MoncreneauClient

client = MoncreneauClient(os.environ['SLOTBOOK_API_KEY'])

# Simple list
page = client.appointments.list()

# With filters
filtered = client.appointments.list(
    page=0,
    size=20,
    status='SCHEDULED',
    department_id='5',
    external_user_id='customer_12345',
    start_date='2026-02-01T00:00:00',
    end_date='2026-02-28T23:59:59'
)

print(f"Total: {filtered['totalElements']}")
for apt in filtered['appointments']:
    print(f"{apt['name']} - {apt['dateTime']}")
