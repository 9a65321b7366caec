// A search box above each long select (select[data-filter], see FilteredSelect.svelte): typing
// shortens the list, ignoring case and accents ("horby" finds Hörby). Options are taken out of
// the list and put back rather than hidden, since some phones show hidden options anyway. The
// chosen option always stays, so a filter never changes what the form sends. The page works
// without this script: the select is the form field. Served as it is, like report-form.js
// (decision 20); the box's label comes from the page.
(() => {
	const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
	for (const select of document.querySelectorAll('select[data-filter]')) {
		if (select.dataset.filtered) continue;
		select.dataset.filtered = 'yes';
		const box = document.createElement('div');
		box.className = 'select-filter';
		const label = document.createElement('label');
		const input = document.createElement('input');
		const count = document.createElement('span');
		input.type = 'search';
		input.id = `${select.id}-filter`;
		input.autocomplete = 'off';
		input.setAttribute('aria-controls', select.id);
		label.htmlFor = input.id;
		label.className = 'small';
		label.textContent = select.dataset.filter;
		count.className = 'visually-hidden';
		count.setAttribute('aria-live', 'polite');
		box.append(label, input, count);
		select.before(box);
		// Every option and where it belongs (its group, or the select itself), in their order.
		const all = [...select.options].map((option) => ({
			option,
			parent: option.parentElement,
			text: fold(option.textContent)
		}));
		const groups = [...select.querySelectorAll('optgroup')];
		input.addEventListener('input', () => {
			const words = fold(input.value).split(/\s+/).filter(Boolean);
			let shown = 0;
			for (const { option, parent, text } of all) {
				const keep = option.selected || !option.value || words.every((w) => text.includes(w));
				if (keep) {
					parent.append(option);
					if (option.value) shown++;
				} else option.remove();
			}
			for (const group of groups) {
				if (group.children.length) select.append(group);
				else group.remove();
			}
			count.textContent = words.length ? select.dataset.filterCount.replace('{count}', String(shown)) : '';
		});
	}
})();
