// Every interactive Flutter semantics node: its identifier, role, accessible name, state, size, and
// whether it is on screen. Flutter web keeps off-screen nodes in the DOM at their unclipped place
// and clips a partly shown node's rect to what shows (so a cut-off node lies flush with an edge of
// its scroller). Given an element, it says where that element is instead.
(element) => {
    const interactive = ['button', 'checkbox', 'radio', 'switch', 'tab', 'link', 'slider', 'menuitem', 'combobox'];
    // Where a node is and the part of the screen that can show it (viewport and scrollers).
    // The bottom tab bar covers whatever scrolls behind it, scroller or not.
    const bars = [...document.querySelectorAll('flt-semantics[role=tablist]')].map(b => b.getBoundingClientRect().top);
    const place = (e) => {
        const r = e.getBoundingClientRect();
        // Edges that can cut a control off: scrollers, and a tab bar below it (not the window's
        // own edges, where app bars sit whole).
        const edges = [];
        let top = 0, bottom = window.innerHeight;
        for (const y of bars) if (y > r.top) { bottom = Math.min(bottom, y); edges.push(y); }
        for (let p = e.parentElement; p; p = p.parentElement) {
            const s = getComputedStyle(p);
            if (s.overflowY !== 'scroll' && s.overflowY !== 'auto') continue;
            const q = p.getBoundingClientRect();
            top = Math.max(top, q.top); bottom = Math.min(bottom, q.bottom);
            edges.push(q.top, q.bottom);
        }
        const inside = r.height > 0 && r.top >= top - 0.5 && r.bottom <= bottom + 0.5
            && r.left >= -1 && r.right <= window.innerWidth + 1;
        const flush = edges.some(y => Math.abs(r.top - y) <= 0.5 || Math.abs(r.bottom - y) <= 0.5);
        return {top: r.top, bottom: r.bottom, height: r.height, clipTop: top, clipBottom: bottom, inside, flush};
    };
    if (element instanceof Element) return place(element);
    const out = [];
    for (const e of document.querySelectorAll('flt-semantics')) {
        const role = e.getAttribute('role');
        const field = e.querySelector(':scope > input, :scope > textarea');
        if (!interactive.includes(role) && !field && !e.hasAttribute('aria-expanded')) continue;
        const r = e.getBoundingClientRect();
        let id = null;
        for (let p = e; p && !id; p = p.parentElement) id = p.getAttribute && p.getAttribute('flt-semantics-identifier');
        const label = field ? (field.getAttribute('aria-label') || field.getAttribute('placeholder') || '') : '';
        const name = label || e.getAttribute('aria-label') || (e.textContent || '').trim();
        out.push({
            id, role: field ? field.tagName.toLowerCase() : (role || 'expandable'), name,
            checked: e.getAttribute('aria-checked'), selected: e.getAttribute('aria-selected'),
            current: e.getAttribute('aria-current'), pressed: e.getAttribute('aria-pressed'),
            expanded: e.getAttribute('aria-expanded'),
            width: r.width, height: r.height, visible: place(e).inside,
        });
    }
    return out;
}
