// The report form's one script (dialogue/<space>/reports/new), kept small for cheap phones on bad
// connections: the page works without it. With it: a tap on the map or the phone's position fills
// in the coordinates, the report carries an id made here, and a report that cannot reach the
// server is kept on the phone (IndexedDB) and sent when the connection returns, with the same id,
// so the server stores it once however often it arrives. Texts come from the page, in its language.
// Plain JavaScript served as it is (no build step), checked by the browser journey map-reports.spec.ts.
(() => {
	const form = document.querySelector('form[data-report-form]');
	if (!form) return;
	const text = form.dataset;
	const field = (name) => form.elements.namedItem(name);
	const round = (v) => String(Math.round(v * 1e5) / 1e5);
	const newId = () => {
		field('clientId').value = crypto.randomUUID();
	};
	if (!field('clientId').value) newId();

	// The map: shown only here, where a tap can do something.
	const map = document.querySelector('[data-place-map]');
	const marker = map?.querySelector('.marker');
	const box = map ? JSON.parse(map.dataset.box) : null;
	const showMarker = () => {
		if (!map) return;
		const lat = Number(field('reportLat').value.replace(',', '.'));
		const lon = Number(field('reportLon').value.replace(',', '.'));
		const [west, south, east, north] = box;
		const x = ((lon - west) / (east - west)) * 100;
		const y = ((north - lat) / (north - south)) * 100;
		const inside =
			field('reportLat').value && field('reportLon').value && x >= 0 && x <= 100 && y >= 0 && y <= 100;
		marker.hidden = !inside;
		if (inside) [marker.style.left, marker.style.top] = [`${x}%`, `${y}%`];
	};
	for (const hidden of document.querySelectorAll('[data-needs-script]')) hidden.hidden = false;
	if (map) {
		// The map is drawn linearly over its box: a tap's share of the width and height is a share of the degrees.
		map.addEventListener('click', (event) => {
			const r = map.querySelector('svg').getBoundingClientRect();
			const [west, south, east, north] = box;
			field('reportLon').value = round(west + ((event.clientX - r.left) / r.width) * (east - west));
			field('reportLat').value = round(north - ((event.clientY - r.top) / r.height) * (north - south));
			showMarker();
		});
		field('reportLat').addEventListener('input', showMarker);
		field('reportLon').addEventListener('input', showMarker);
		showMarker();
	}
	const locate = document.querySelector('[data-locate]');
	const locateStatus = document.querySelector('[data-locate-status]');
	locate?.addEventListener('click', () => {
		locateStatus.textContent = text.locating;
		navigator.geolocation.getCurrentPosition(
			(p) => {
				field('reportLat').value = round(p.coords.latitude);
				field('reportLon').value = round(p.coords.longitude);
				locateStatus.textContent = '';
				showMarker();
			},
			() => {
				locateStatus.textContent = text.locationFailed;
			},
			{ enableHighAccuracy: true, timeout: 15000 }
		);
	});

	// The queue of reports kept on this phone, and its list on the page (phone-queue.js).
	const list = document.querySelector('[data-queue]');
	const { here, keep, post, render } = window.phoneQueue('platform-reports', list, text);

	const maxPhoto = Number(text.maxPhotoBytes);
	form.addEventListener('submit', async (event) => {
		const photo = field('reportPhoto')?.files?.[0];
		// Too large to be read by the server at all: said here, before anything typed is lost.
		if (photo && photo.size > maxPhoto) {
			event.preventDefault();
			const error = document.getElementById('reportPhoto-error-script');
			error.hidden = false;
			field('reportPhoto').setAttribute('aria-invalid', 'true');
			field('reportPhoto').focus();
			return;
		}
		event.preventDefault();
		const fields = [...new FormData(form).entries()];
		const store = async () => {
			await keep({
				clientId: field('clientId').value,
				action: here,
				fields,
				summary: String(field('reportDescription').value).slice(0, 80),
				state: 'waiting',
				message: null,
				location: null,
				savedAt: Date.now()
			});
			form.reset();
			newId();
			showMarker();
			await render();
			list.querySelector('h2').focus();
		};
		if (!navigator.onLine) return store();
		const button = form.querySelector('button[type=submit]');
		button.disabled = true;
		const result = await post(fields);
		button.disabled = false;
		if (result.kind === 'unsent') return store();
		if (result.kind === 'sent') return location.assign(result.location);
		// Refused: the form is sent the plain way, so the page shows every message at its field as typed.
		form.submit();
	});
})();
