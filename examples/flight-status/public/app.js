// The flight board (seed 000, pattern #2): a guest reads the view model and follows its changes.
import { createClient } from '/sdk/switchboard.js';

const FIELDS = 'id airline flightNumber origin destination status gate scheduledDeparture updatedAt';
const $ = (id) => document.getElementById(id);
const client = createClient({ auth: { guest: true } });
const rows = new Map();

client.onStatus((status) => {
  $('connection').textContent = status;
  $('connection').dataset.status = status;
});

function showError(error) {
  $('error').hidden = false;
  $('error').textContent = String(error?.message ?? error);
}

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
}

function show(flight, flash) {
  let row = rows.get(flight.id);
  if (row === undefined) {
    row = document.createElement('tr');
    row.dataset.flightId = flight.id;
    for (const cls of ['flight', 'airline', 'origin', 'destination', 'departure', 'gate', 'status']) {
      const td = document.createElement('td');
      td.className = cls;
      row.append(td);
    }
    rows.set(flight.id, row);
    $('flights').append(row);
  }
  const cell = (cls) => row.querySelector(`.${cls}`);
  cell('flight').textContent = flight.flightNumber;
  cell('airline').textContent = flight.airline ?? '';
  cell('origin').textContent = flight.origin ?? '';
  cell('destination').textContent = flight.destination ?? '';
  cell('departure').textContent = time(flight.scheduledDeparture);
  cell('gate').textContent = flight.gate ?? '';
  cell('status').textContent = flight.status;
  cell('status').dataset.status = flight.status;
  row.dataset.status = flight.status;
  if (flash) {
    row.classList.remove('flash');
    void row.offsetWidth;
    row.classList.add('flash');
  }
  $('empty').hidden = rows.size > 0;
}

try {
  // Subscribe first, then read: a change between the two is applied twice, never missed.
  await client.subscribe(`subscription { onCreateFlight { ${FIELDS} } }`, {}, (data) => data.onCreateFlight && show(data.onCreateFlight, true), (errors) => showError(errors[0]?.message));
  const { listFlights } = await client.graphql(`query { listFlights { ${FIELDS} } }`);
  for (const flight of listFlights ?? []) if (flight) show(flight, false);
  document.body.dataset.ready = 'true';
} catch (error) {
  showError(error);
}
