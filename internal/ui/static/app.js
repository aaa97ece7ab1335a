// ecsnet UI: draws the system, runs probes, shows the path, tries fixes on
// what-if copies. Plain JavaScript, no dependencies. All text coming from
// the system is inserted with textContent, never as HTML.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const SVGNS = 'http://www.w3.org/2000/svg';

  const state = {
    topo: null, // the topology shown (real or what-if)
    realIds: null, // ids of the real system, to mark what a what-if added
    whatif: null, // {id, fixes, baseVersion} while a what-if copy is shown
    expand: new Set(), // subnets expanded in a collapsed (large) system
    probe: null, // the query of the result shown: {from, to, port, protocol}
    response: null, // the last probe or what-if response
    origProbe: null, // the probe asked before the first "try it"
    index: new Map(), // id -> elements carrying it (data-ids)
    findings: new Map(), // resource id -> findings
    opener: null, // the element that opened the drawer
    polling: null,
    refreshTimer: null,
  };

  // h builds an element: h('div', {class: 'x', onclick: f}, 'text', child…).
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of kids.flat()) {
      if (c === undefined || c === null || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  const ICONS = {
    globe: '<circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" stroke-width="1.4"/><path d="M1.8 8h12.4M8 1.8c2 2.2 2 10.2 0 12.4M8 1.8c-2 2.2-2 10.2 0 12.4" fill="none" stroke="currentColor" stroke-width="1.2"/>',
    none: '<circle cx="8" cy="8" r="5.6" fill="none" stroke="currentColor" stroke-width="1.4"/><path d="M4 12l8-8" stroke="currentColor" stroke-width="1.4"/>',
    igw: '<path d="M2.5 14V7.5L8 3l5.5 4.5V14" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/><path d="M6 14v-4h4v4" fill="none" stroke="currentColor" stroke-width="1.4"/>',
    ec2: '<rect x="3.5" y="3.5" width="9" height="9" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.5"/><path d="M6 1.5v2M10 1.5v2M6 12.5v2M10 12.5v2M1.5 6h2M1.5 10h2M12.5 6h2M12.5 10h2" stroke="currentColor" stroke-width="1.3"/>',
    task: '<path d="M8 1.8l5.6 3.1v6.2L8 14.2l-5.6-3.1V4.9z" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linejoin="round"/><path d="M2.6 5L8 8l5.4-3M8 8v6" fill="none" stroke="currentColor" stroke-width="1.2"/>',
    lb: '<circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" stroke-width="1.4"/><path d="M4.5 8h3.5M8 8l3-2.8M8 8l3 2.8M8 8h3.5" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linecap="round"/>',
    nat: '<path d="M3 11h7.5M8 8.5l2.5 2.5L8 13.5M13 5H5.5M8 2.5L5.5 5 8 7.5" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round"/>',
    endpoint: '<path d="M6 2.5v3M10 2.5v3M4.5 5.5h7v2.5a3.5 3.5 0 01-7 0zM8 11.5v2.5" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round"/>',
    eni: '<rect x="2" y="4.5" width="12" height="7" rx="1.5" fill="none" stroke="currentColor" stroke-width="1.4"/><path d="M5 7.5v2M8 7.5v2M11 7.5v2" stroke="currentColor" stroke-width="1.3"/>',
  };

  function icon(name, size = 14) {
    const s = document.createElementNS(SVGNS, 'svg');
    s.setAttribute('viewBox', '0 0 16 16');
    s.setAttribute('width', size);
    s.setAttribute('height', size);
    s.setAttribute('aria-hidden', 'true');
    s.innerHTML = ICONS[name] || '';
    return s;
  }

  // api calls the JSON API (paths are relative: the page works under any prefix).
  async function api(method, path, body) {
    const opt = { method, headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      opt.headers['Content-Type'] = 'application/json';
      opt.body = JSON.stringify(body);
    }
    const r = await fetch(path, opt);
    let j = null;
    try { j = await r.json(); } catch (_) { /* 204 */ }
    if (!r.ok) {
      const err = new Error((j && j.error) || `${r.status} ${r.statusText}`);
      err.status = r.status;
      throw err;
    }
    return j;
  }

  // ---------------------------------------------------------------- topology

  async function loadTopology() {
    const q = new URLSearchParams();
    if (state.whatif) q.set('whatif', state.whatif.id);
    if (state.expand.size) q.set('expand', [...state.expand].join(','));
    const t = await api('GET', 'api/topology' + (q.toString() ? '?' + q : ''));
    state.topo = t;
    if (!t.whatIf) { state.realIds = collectIds(t); state.realGen = t.generation; }
    renderTopology(t);
    renderPickers(t);
    if (!state.response) renderIntro(t);
    drawPath();
    return t;
  }

  function collectIds(t) {
    const ids = new Set();
    const walk = (v) => {
      if (Array.isArray(v)) { v.forEach(walk); return; }
      if (v && typeof v === 'object') {
        for (const k of ['id', 'arn', 'eni']) if (typeof v[k] === 'string') ids.add(v[k]);
        Object.values(v).forEach(walk);
      }
    };
    walk(t.vpcs);
    return ids;
  }

  function plural(n, word) { return `${n} ${word}${n === 1 ? '' : 's'}`; }

  function renderTopology(t) {
    $('system-title').textContent = t.title;
    document.title = `${t.title} · ecsnet`;
    $('system-meta').textContent = `${t.region} · account ${t.account}`;
    const c = t.counts;
    $('counts').textContent = [plural(t.vpcs.length, 'VPC'), plural(c.subnets, 'subnet'), plural(c.instances, 'instance'),
      plural(c.tasks, 'task'), plural(c.enis, 'ENI')].join(' · ') + (t.collapsed ? ' · large system: subnets collapsed' : '');
    state.findings = new Map();
    for (const f of t.findings || []) {
      if (!f.resource) continue;
      if (!state.findings.has(f.resource)) state.findings.set(f.resource, []);
      state.findings.get(f.resource).push(f);
    }
    const d = $('diagram');
    const focusedKey = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : null;
    d.replaceChildren();
    d.append(h('div', { class: 'internet-row' },
      h('div', { class: 'internet', id: 'internet-node', 'data-ids': 'internet' }, icon('globe', 18),
        h('strong', {}, 'Internet'), h('span', { class: 'sub', id: 'internet-client' }, 'clients anywhere'))));
    for (const v of t.vpcs) d.append(renderVPC(v));
    if (!t.vpcs.length) d.append(h('p', { class: 'empty' }, 'No VPC yet. Changes made through the API appear here as they happen.'));
    $('topo').classList.toggle('whatif', !!t.whatIf);
    markNew();
    indexElements();
    fit();
    if (focusedKey) {
      const el = d.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`);
      if (el) el.focus({ preventScroll: true });
    }
  }

  // fit zooms a small system's diagram to use the room there is (up to
  // 150%); large systems stay at 100% and scroll.
  function fit() {
    const d = $('diagram'), topo = $('topo');
    d.style.zoom = '';
    if (window.matchMedia('(max-width: 900px)').matches) return;
    const availH = topo.clientHeight - 56;
    const natural = d.getBoundingClientRect().height;
    if (!natural || natural > availH * 0.9) return;
    for (const z of [1.5, 1.4, 1.3, 1.2, 1.1]) {
      d.style.zoom = String(z);
      if (d.getBoundingClientRect().height <= availH * 0.9 && topo.scrollWidth <= topo.clientWidth) return;
    }
    d.style.zoom = '';
  }

  // nameBtn is the keyboard handle of a resource: a real button that opens
  // its details.
  function nameBtn(text, id, kind, cls = 'name', desc = '') {
    return h('button', {
      type: 'button', class: cls, 'data-key': id, 'aria-label': `${kind} ${text}${desc ? ', ' + desc : ''}: details`,
      title: text === id ? text : `${text} (${id})`,
      onclick: (ev) => openDetails(id, ev.currentTarget),
    }, text);
  }

  function chip(label, value, id, kind, title, cls) {
    return h('button', {
      type: 'button', class: cls ? 'chip ' + cls : 'chip', 'data-key': id + '#' + label, 'data-ids': null, title: title || null,
      'aria-label': `${kind} ${String(value).trim()}: details`, onclick: (ev) => openDetails(id, ev.currentTarget),
    }, label ? h('b', {}, label) : null, value);
  }

  function findingMark(id) {
    const fs = state.findings.get(id);
    if (!fs || !fs.length) return null;
    const worst = fs.some((f) => f.severity === 'error') ? 'error' : 'warning';
    const text = fs.map((f) => `${f.code}: ${f.message}`).join('\n');
    return h('span', { class: `finding-mark ${worst}`, title: text, role: 'img', 'aria-label': `${fs.length} finding${fs.length > 1 ? 's' : ''}: ${text}` }, '!');
  }

  function renderVPC(v) {
    const box = h('div', { class: 'vpc', 'data-ids': v.id, 'data-id': v.id });
    box.append(h('div', { class: 'vpc-head' }, h('span', { class: 'kind' }, 'VPC'), nameBtn(v.name || v.id, v.id, 'VPC'),
      h('span', { class: 'subnet-cidr' }, v.cidr), v.default ? h('span', { class: 'eni-dev', title: 'the default VPC AWS creates in every region' }, 'default VPC') : null));
    if (v.internetGateway) {
      const g = v.internetGateway;
      box.append(h('div', { class: 'igw', 'data-ids': g.id, 'data-id': g.id }, icon('igw'),
        nameBtn(g.name || g.id, g.id, 'internet gateway'), h('span', { class: 'eni-role' }, 'internet gateway')));
    }
    // Zone columns share the width by what they hold; load balancer nodes
    // line up with their zone's column.
    const weight = (z) => Math.max(0.55, z.subnets.reduce((n, s) => n + (s.collapsed ? 1 : s.instances.length + Math.ceil(s.interfaces.filter((e) => !e.owner || e.owner.kind !== 'load-balancer').length / 2)), 0));
    const cols = v.zones.length <= 4 ? v.zones.map((z) => `minmax(0, ${weight(z).toFixed(2)}fr)`).join(' ') : null;
    const zoneIndex = new Map(v.zones.map((z, i) => [z.name, i]));
    if (v.loadBalancers.length) box.append(h('div', { class: 'lbs' }, v.loadBalancers.map((lb) => renderLB(lb, v, cols, zoneIndex))));
    if (v.gatewayEndpoints.length) {
      box.append(h('div', { class: 'gweps' }, v.gatewayEndpoints.map((ep) =>
        h('span', { 'data-ids': ep.id, 'data-id': ep.id }, chip('gateway endpoint', ' ' + shortService(ep.service), ep.id, 'gateway endpoint', `routes in ${(ep.routeTables || []).join(', ')}`)))));
    }
    const zones = h('div', { class: 'zones' + (cols ? ' fixed' : '') }, v.zones.map(renderZone));
    if (cols) zones.style.gridTemplateColumns = cols;
    box.append(zones);
    return box;
  }

  function shortService(s) {
    const p = s.split('.');
    return p.length > 3 && p[0] === 'com' ? p.slice(3).join('.') : s;
  }

  function renderZone(z) {
    return h('div', { class: 'zone' }, h('div', { class: 'zone-name' }, z.name), z.subnets.map(renderSubnet));
  }

  function defaultRoute(s) {
    const r = (s.routes || []).find((x) => x.destination === '0.0.0.0/0');
    if (!r) return 'no default route';
    return `0.0.0.0/0 → ${r.target}${r.state !== 'active' ? ' (blackhole)' : ''}`;
  }

  function renderSubnet(s) {
    const el = h('div', { class: 'subnet' + (s.public ? ' public' : ''), 'data-ids': s.id, 'data-id': s.id, 'data-subnet': s.id });
    const routesTitle = (s.routes || []).map((r) => `${r.destination} → ${r.target} (${r.state})`).join('\n');
    const head = h('div', { class: 'subnet-head' },
      h('span', { class: 'subnet-kind' }, s.public ? 'public' : 'private'),
      nameBtn(s.name || s.id, s.id, 'subnet'),
      h('span', { class: 'subnet-cidr' }, s.cidr),
      findingMark(s.id),
      h('span', { class: 'subnet-chips' },
        s.routeTable ? h('span', { 'data-ids': `${s.routeTable.id}@${s.id}` }, chip('rt', ' ' + defaultRoute(s), s.routeTable.id, 'route table ' + (s.routeTable.name || s.routeTable.id), routesTitle)) : null,
        s.networkAcl ? h('span', { 'data-ids': `${s.networkAcl.id}@${s.id}` }, chip('acl', ' ' + (s.networkAcl.name || s.networkAcl.id), s.networkAcl.id, 'network ACL')) : null,
        s.blockPublicAccess ? chip('bpa', ' ' + s.blockPublicAccess, s.id, 'VPC Block Public Access', 'VPC Block Public Access: ' + s.blockPublicAccess + ' in this subnet', 'bpa') : null));
    el.append(head);
    const body = h('div', { class: 'subnet-body' });
    // Load balancer nodes are drawn in their load balancer's band.
    const free = s.interfaces.filter((e) => !e.owner || e.owner.kind !== 'load-balancer');
    const lbNodes = s.interfaces.length - free.length;
    if (s.collapsed) {
      body.append(h('div', { class: 'collapsed-summary' },
        `${plural(s.counts.instances, 'instance')} · ${plural(s.counts.tasks, 'task')} · ${plural(s.counts.enis, 'ENI')}`,
        h('button', { type: 'button', class: 'btn btn-small', 'data-key': 'expand-' + s.id, 'aria-label': `Expand subnet ${s.name || s.id}`,
          onclick: () => { state.expand.add(s.id); loadTopology().catch(showError); } }, 'Expand')));
    } else {
      if (state.expand.has(s.id) && state.topo && state.topo.collapsed) {
        head.querySelector('.subnet-chips').prepend(h('button', { type: 'button', class: 'chip', 'data-key': 'collapse-' + s.id,
          'aria-label': `Collapse subnet ${s.name || s.id}`, onclick: () => { state.expand.delete(s.id); loadTopology().catch(showError); } }, 'collapse'));
      }
      if (free.length) body.append(h('div', { class: 'free' }, free.map(renderFreeENI)));
      for (const i of s.instances) body.append(renderInstance(i));
      if (!s.instances.length && !free.length) {
        body.append(h('div', { class: 'subnet-empty' }, lbNodes ? `${plural(lbNodes, 'load balancer node')} (drawn above)` : 'nothing running here'));
      }
    }
    el.append(body);
    return el;
  }

  function renderInstance(i) {
    const dense = i.enis.length > 3 || i.trunking;
    const card = h('div', { class: 'instance', 'data-ids': i.id, 'data-id': i.id },
      h('div', { class: 'instance-head', 'data-anchor': '' }, icon('ec2'), nameBtn(i.name, i.id, 'instance'),
        h('span', { class: 'instance-meta' }, [i.type, i.state, i.cluster ? `cluster ${i.cluster}` : null].filter(Boolean).join(' · ')),
        findingMark(i.id)));
    if (dense) {
      card.append(h('div', { class: 'eni-rows' }, i.enis.map(renderENIRow)));
    } else {
      card.append(h('div', { class: 'enis' }, i.enis.map((e) => renderENI(e, i))));
    }
    if (i.tasks.length) {
      card.append(h('div', { class: 'host-tasks' },
        h('div', { class: 'host-tasks-title' }, `on the instance's own addresses (${[...new Set(i.tasks.map((t) => t.networkMode))].join(', ')} mode)`),
        i.tasks.map((t) => renderTask(t))));
    }
    return card;
  }

  function publicPip(e) {
    if (e.publicIp) {
      return h('span', { class: 'pip pip-yes', title: e.elasticIp ? 'Elastic IP' : 'public IP, mapped 1:1 by the internet gateway' }, icon('globe', 12), e.publicIp);
    }
    return h('span', { class: 'pip pip-no', title: 'the internet cannot reach this interface' }, icon('none', 11), 'no public IP');
  }

  function sgChips(e) {
    return h('span', { class: 'sgs' }, e.securityGroups.map((g) => chip('', g.name || g.id, g.id, 'security group', g.id)));
  }

  function eniRole(e, inst) {
    if (!e.owner) return null;
    switch (e.owner.kind) {
      case 'instance': return e.deviceIndex === 0 ? "the instance's primary interface" : "the instance's interface";
      case 'task': return e.tasks && e.tasks.length ? null : `task ${e.owner.name || ''}`;
      case 'trunk': return 'ECS trunk: branch ENIs ride on it';
      default: return null;
    }
  }

  function renderENI(e, inst) {
    const label = e.label || 'ENI';
    const role = eniRole(e, inst);
    return h('div', { class: 'eni' + (e.publicIp ? ' has-public' : ''), 'data-ids': e.id, 'data-id': e.id },
      h('div', { class: 'eni-head' }, nameBtn(label, e.id, 'network interface', 'name eni-label',
        [e.deviceIndex !== undefined && e.deviceIndex !== null ? `device ${e.deviceIndex}` : '', e.privateIp, e.publicIp ? `public IP ${e.publicIp}` : 'no public IP'].filter(Boolean).join(', ')),
        h('span', { class: 'eni-dev' }, e.deviceIndex !== undefined && e.deviceIndex !== null ? `device ${e.deviceIndex}` : e.type),
        findingMark(e.id)),
      h('div', { class: 'eni-lines' },
        h('div', { class: 'addr-line' }, h('span', { class: 'eni-ip' }, e.privateIp + (e.secondaryIps ? ` +${e.secondaryIps.length}` : '')), publicPip(e)),
        sgChips(e),
        role ? h('span', { class: 'eni-role' }, role) : null),
      ...(e.tasks || []).map((t) => renderTask(t)));
  }

  function renderENIRow(e) {
    const t = (e.tasks || [])[0];
    let what;
    if (t) {
      what = h('span', { class: 'what', 'data-ids': `${t.arn} ${t.id}`, 'data-id': t.arn },
        nameBtn(t.name, t.arn, 'task', 'name tname'), ' ', portsText(t), t.status !== 'RUNNING' ? ` · ${t.status}` : '', findingMark(t.arn));
    } else if (e.owner && e.owner.kind === 'trunk') {
      what = h('span', { class: 'what eni-role' }, 'ECS trunk');
    } else {
      what = h('span', { class: 'what' }, publicPip(e), ' ', e.securityGroups.map((g) => g.name || g.id).join(', '));
    }
    return h('div', { class: 'eni-row' + (e.publicIp ? ' has-public' : ''), 'data-ids': e.id, 'data-id': e.id },
      nameBtn((e.label || 'ENI').replace(/^branch /, 'br '), e.id, 'network interface ' + (e.label || ''), 'name eni-label'),
      h('span', { class: 'eni-ip' }, e.privateIp), what);
  }

  function portsText(t) {
    const ps = [];
    for (const c of t.containers) for (const p of c.ports) ps.push(p.hostPort ? `${p.hostPort}→${p.containerPort}` : `:${p.containerPort}`);
    return ps.join(' ');
  }

  function renderTask(t, eni) {
    const status = eni ? (t.launchType === 'FARGATE' ? 'Fargate' : t.launchType) + (t.status !== 'RUNNING' ? ' · ' + t.status : '') : `${t.status} · ${t.networkMode}`;
    const card = h('div', { class: 'task', 'data-ids': `${t.arn} ${t.id}`, 'data-id': t.arn },
      h('div', { class: 'task-head', 'data-anchor': '' }, icon('task', 13), nameBtn(t.name, t.arn, 'task'),
        h('span', { class: 'task-status' + (t.status !== 'RUNNING' ? ' pending' : '') }, status),
        findingMark(t.arn)));
    const lines = [];
    for (const c of t.containers) {
      const loop = c.listen.startsWith('127.');
      const ports = c.ports.map((p) => {
        if (t.networkMode === 'awsvpc') return `${c.listen}:${p.containerPort}/${p.protocol}`;
        return `host ${p.hostPort || 'none'} → ${p.containerPort}/${p.protocol}`;
      });
      lines.push(h('div', { class: 'container-line', title: `container ${c.name} listens on ${c.listen}`, 'data-ports': c.ports.map((p) => p.containerPort + '/' + p.protocol).join(' ') },
        h('span', { class: 'muted' }, c.name + ' '),
        h('span', { class: loop ? 'listen-bad' : '' }, ports.length ? ports.join(', ') : 'no ports'),
        loop ? h('span', { class: 'listen-bad' }, ' (loopback)') : null));
    }
    if (eni) {
      card.append(h('div', { class: 'addr-line' }, nameBtn(eni.privateIp, eni.id, 'network interface', 'name eni-ip'), publicPip(eni)),
        h('div', { class: 'addr-line' }, sgChips(eni), ...lines));
    } else {
      card.append(...lines);
    }
    return card;
  }

  function renderFreeENI(e) {
    const o = e.owner || { kind: 'user' };
    // A Fargate task is drawn as the task, its ENI's addresses inside.
    if (o.kind === 'task' && e.tasks && e.tasks.length) {
      const t = e.tasks[0];
      const card = renderTask(t, e);
      card.classList.add('fargate', 'eni-like');
      if (e.publicIp) card.classList.add('has-public');
      card.dataset.ids = `${e.id} ${t.arn} ${t.id}`;
      return card;
    }
    const ids = [e.id];
    if (o.kind === 'nat-gateway' || o.kind === 'vpc-endpoint') ids.push(o.id);
    const own = o.kind === 'nat-gateway' || o.kind === 'vpc-endpoint' ? o.id : e.id;
    let head;
    switch (o.kind) {
      case 'nat-gateway':
        head = h('div', { class: 'owner-line' }, icon('nat', 13), nameBtn(`NAT gateway ${o.name || o.id}`, o.id, 'NAT gateway'));
        break;
      case 'vpc-endpoint':
        head = h('div', { class: 'owner-line' }, icon('endpoint', 13), nameBtn(`endpoint ${o.detail || o.id}`, o.id, 'VPC endpoint'));
        break;
      case 'load-balancer':
        head = h('div', { class: 'owner-line' }, icon('lb', 13), nameBtn(`${o.name} node`, e.id, 'load balancer node'));
        break;
      default:
        head = h('div', { class: 'owner-line' }, icon('eni', 13), nameBtn(o.name || (o.kind === 'task' ? 'task ENI' : 'ENI'), e.id, 'network interface'),
          h('span', { class: 'eni-dev' }, e.type === 'interface' ? 'unattached' : e.type));
    }
    const mark = findingMark(e.id);
    if (mark) head.append(mark);
    return h('div', { class: `eni kind-${o.kind}` + (e.publicIp ? ' has-public' : ''), 'data-ids': ids.join(' '), 'data-id': own },
      head,
      h('div', { class: 'eni-lines' }, h('div', { class: 'addr-line' }, h('span', { class: 'eni-ip' }, e.privateIp), publicPip(e)), sgChips(e),
        o.kind === 'nat-gateway' && o.detail ? h('span', { class: 'eni-role' }, o.detail) : null));
  }

  function renderLB(lb, v, cols, zoneIndex) {
    const tgByArn = new Map(lb.targetGroups.map((tg) => [tg.arn, tg]));
    const card = h('div', { class: 'lb', 'data-ids': lb.arn, 'data-id': lb.arn },
      h('div', { class: 'lb-head', 'data-anchor': '' }, icon('lb', 15), nameBtn(lb.name, lb.arn, 'load balancer'),
        h('span', { class: 'instance-meta' }, `${lb.type === 'network' ? 'NLB' : lb.type === 'classic' ? 'Classic' : 'ALB'} · ${lb.scheme}`),
        h('span', { class: 'sgs' }, lb.securityGroups.map((g) => chip('', g.name || g.id, g.id, 'security group', g.id))),
        findingMark(lb.arn),
        h('span', { class: 'lb-dns', title: lb.dnsName }, lb.dnsName)));
    const flow = h('div', { class: 'lb-flow' });
    for (const l of lb.listeners) {
      const row = h('div', { class: 'lb-row' },
        h('div', { class: 'listener', 'data-ids': l.arn, 'data-id': l.arn }, nameBtn(`${l.protocol}:${l.port}`, l.arn, 'listener'), ' ', h('span', { class: 'eni-dev' }, l.action)));
      const tgs = l.targetGroups.map((arn) => tgByArn.get(arn)).filter(Boolean);
      if (tgs.length) row.append(h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'), ...tgs.map(renderTG));
      flow.append(row);
    }
    if (!lb.listeners.length) flow.append(h('span', { class: 'eni-role' }, 'no listeners: nothing is accepted'));
    if (lb.classic && lb.listeners.length) {
      // Every listener sends to the same registered instances, each on
      // its own instance port: one box for them, beside the listeners.
      const ls = [...flow.children];
      flow.replaceChildren(h('div', { class: 'lb-row' },
        h('div', { class: 'clb-listeners' }, ls.map((r) => r.firstChild)),
        h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'), renderInstances(lb)));
    }
    card.append(flow);
    const nodes = h('div', { class: 'lb-nodes' });
    if (cols) nodes.style.gridTemplateColumns = cols;
    for (const n of lb.nodes) {
      const node = h('div', { class: 'lbnode' + (n.publicIp ? ' has-public' : ''), 'data-ids': n.eni, 'data-id': n.eni },
        nameBtn(`node ${n.availabilityZone.replace(/^.*-\d/, '') || n.availabilityZone}`, n.eni, `load balancer node in ${n.availabilityZone}`, 'name eni-label'),
        h('span', { class: 'eni-ip' }, n.privateIp),
        n.publicIp ? publicPip({ publicIp: n.publicIp }) : h('span', { class: 'eni-role' }, 'internal'));
      if (cols && zoneIndex.has(n.availabilityZone)) node.style.gridColumn = String(zoneIndex.get(n.availabilityZone) + 1);
      nodes.append(node);
    }
    card.append(nodes);
    return card;
  }

  // renderInstances draws a Classic Load Balancer's registered instances,
  // InService or OutOfService, under its health check.
  function renderInstances(lb) {
    const c = lb.classic;
    const cls = (s) => (s === 'InService' ? 'healthy' : 'unhealthy');
    return renderHealth({
      attrs: { class: 'tg clb-instances', 'data-ids': c.instances.map((x) => x.id).join(' ') },
      name: h('span', { class: 'name' }, 'instances'), detail: `health check ${c.healthCheck}`,
      items: c.instances, noun: 'instances', none: 'no instances registered', cls,
      label: (x) => x.id,
      cells: (x) => [nameBtn(x.id, x.id, 'instance'), h('span', { class: `eni-dev clb-state ${cls(x.health)}` }, x.health)],
    });
  }

  function renderTG(tg) {
    return renderHealth({
      attrs: { class: 'tg', 'data-ids': tg.arn, 'data-id': tg.arn },
      name: nameBtn(tg.name, tg.arn, 'target group'), detail: `${tg.targetType} :${tg.port}`,
      items: tg.targets, noun: 'targets', none: 'no targets', cls: (s) => s,
      label: (x) => `${x.id}:${x.port}`,
      cells: (x) => [`${x.id}:${x.port}`],
    });
  }

  // renderHealth draws the members of a target group or a Classic Load
  // Balancer and their health: a head with the counts by state, then one
  // row per member (o.cells after its health mark, its name last) or, past
  // three, a dot each. o.cls maps a health state to its CSS class.
  function renderHealth(o) {
    const counts = {};
    for (const x of o.items) counts[x.health] = (counts[x.health] || 0) + 1;
    const summary = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ') || o.none;
    const reason = (x) => `${x.health}${x.reason ? ' (' + x.reason + ')' : ''}`;
    return h('div', o.attrs,
      h('div', {}, o.name, ' ', h('span', { class: 'eni-dev' }, `${o.detail} · ${summary}`)),
      o.items.length > 3
        ? h('div', { class: 'dots', role: 'img', 'aria-label': `${o.items.length} ${o.noun}: ${summary}` },
          o.items.map((x) => h('span', { class: `health ${o.cls(x.health)}`, title: `${o.label(x)} ${x.name || ''} ${reason(x)}` })))
        : h('div', { class: 'targets' }, o.items.map((x) =>
          h('div', { class: 'target', title: reason(x) },
            h('span', { class: `health ${o.cls(x.health)}`, role: 'img', 'aria-label': x.health }),
            ...o.cells(x), x.name ? h('span', { class: 'eni-dev' }, x.name) : null))));
  }

  function markNew() {
    if (!state.topo || !state.topo.whatIf || !state.realIds) return;
    for (const el of document.querySelectorAll('#diagram [data-id]')) {
      if (state.realIds.has(el.dataset.id)) continue;
      el.classList.add('is-new');
      const parent = el.parentElement && el.parentElement.closest('[data-id]');
      if (parent && !state.realIds.has(parent.dataset.id)) continue; // inside something new
      el.classList.add('new-top');
      const head = el.querySelector(':scope > .instance-head, :scope > .lb-head, :scope > .eni-head, :scope > .owner-line, :scope > .task-head, :scope > .subnet-head') || el;
      if (!head.querySelector(':scope > .new-tag')) head.append(h('span', { class: 'new-tag' }, 'new'));
    }
  }

  function indexElements() {
    state.index = new Map();
    for (const el of document.querySelectorAll('#diagram [data-ids]')) {
      for (const id of el.dataset.ids.split(' ')) {
        if (!id) continue;
        if (!state.index.has(id)) state.index.set(id, []);
        state.index.get(id).push(el);
      }
    }
  }

  function renderPickers(t) {
    for (const id of ['pick-from', 'pick-to']) {
      const dl = $(id);
      dl.replaceChildren(...t.endpoints.map((p) => h('option', { value: p.spec, label: p.label })));
    }
    const ex = $('examples');
    if (!t.examples || !t.examples.length) {
      ex.replaceChildren(h('span', { class: 'hint' }, 'Type a name, an id or an address; the lists suggest what this system has.'));
      return;
    }
    ex.replaceChildren(...(t.examples || []).map((e) => h('button', {
      type: 'button', class: 'example', title: e.note || '',
      'aria-label': `Example: from ${e.from} to ${e.to}${e.verdict ? ', expected ' + e.verdict : ''}`,
      onclick: () => { const q = splitPort({ from: e.from, to: e.to, protocol: e.protocol || 'tcp' }); setForm(q); runProbe(q); },
    }, `${e.from} → ${e.to}`, e.verdict ? ` (${e.verdict})` : '')));
  }

  // renderIntro fills the result panel before the first probe: what to do,
  // and the analyzer's findings on the system.
  function renderIntro(t) {
    const box = $('result');
    const fs = t.findings || [];
    box.replaceChildren(h('div', { class: 'placeholder' },
      h('p', {}, 'Pick a source and a destination and run the probe.'),
      h('p', {}, 'The path is drawn on the system, every hop marked ', h('span', { class: 'hopdot ok' }, '1'), ' passed or ',
        h('span', { class: 'hopdot bad' }, '✕'), ' blocked with the rule that decided it; failing probes come with fixes verified on a copy.')));
    box.append(...renderStart(t), ...renderServices(t), ...renderStacks(t));
    if (!fs.length) return;
    const shown = fs.slice(0, 8);
    box.append(h('section', { class: 'rsec' }, h('h3', {}, `Findings on this system (${fs.length})`),
      shown.map((f) => h('div', { class: 'finding ' + f.severity },
        h('div', {}, h('code', {}, f.code), ' ', f.resource ? h('button', { type: 'button', class: 'linkish', onclick: (ev) => openDetails(f.resource, ev.currentTarget) }, f.name || f.resource) : null,
          f.file && f.line ? h('span', { class: 'finding-at', title: 'where the source defines it' }, ` ${f.file}:${f.line}`) : null),
        h('p', {}, f.message),
        f.fix ? h('p', { class: 'tone-muted' }, 'Fix: ' + f.fix) : null)),
      fs.length > shown.length ? h('p', { class: 'tone-muted' }, `and ${fs.length - shown.length} more`) : null));
  }

  // showOverview leaves the probe for the panel the page opened with: the
  // services, stacks and findings, as they are now. The path and the
  // probe's link in the address bar go with it.
  function showOverview() {
    state.probe = null;
    state.response = null;
    drawPath(false);
    if (location.hash) history.replaceState(null, '', location.pathname + location.search);
    if (state.topo) renderIntro(state.topo);
    $('result').focus({ preventScroll: true });
  }

  // renderStart says how to begin when nothing runs yet (an account as
  // ecsnet serve starts it: the default VPC and no more): where to point
  // the tools, and the article's system as a first deployment.
  function renderStart(t) {
    const c = t.counts;
    const lbs = t.vpcs.reduce((n, v) => n + v.loadBalancers.length, 0);
    if (c.instances || c.tasks || lbs || (t.services || []).length || (t.stacks || []).length || (t.examples || []).length) return [];
    const url = location.origin;
    const cmd = (s) => h('pre', { class: 'start-cmd' }, h('code', {}, s));
    return [h('section', { class: 'rsec start', id: 'start' }, h('h3', {}, 'Nothing runs here yet'),
      h('p', {}, 'Point the aws CLI, boto3, the SDKs or Terraform at this endpoint; what they build appears here as it changes:'),
      cmd(`export AWS_ENDPOINT_URL=${url} \\\n  AWS_DEFAULT_REGION=${t.region} \\\n  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`),
      h('p', {}, 'The article\'s system, from a checkout of ecsnet:'),
      cmd('aws cloudformation deploy \\\n  --template-file examples/cfn/article.yaml \\\n  --stack-name article --capabilities CAPABILITY_IAM'),
      h('p', { class: 'tone-muted' }, 'Or start ecsnet serve with --scenario FILE to preload a system.'))];
  }

  // renderServices lists the ECS services: how many tasks run of those
  // wanted, and why the last one stopped when they fall short, with a
  // probe to the service.
  function renderServices(t) {
    const ss = t.services || [];
    if (!ss.length) return [];
    return [h('section', { class: 'rsec services' }, h('h3', {}, `ECS services (${ss.length})`),
      ss.map((v) => {
        const short = v.running < v.desired;
        return h('div', { class: 'svc' + (short ? ' short' : ''), 'data-service': v.name },
          h('div', {}, h('button', { type: 'button', class: 'linkish', onclick: (ev) => openDetails(v.arn, ev.currentTarget) }, v.name),
            ' ', h('span', { class: short ? 'tone-bad' : 'tone-muted' }, `${v.running} of ${v.desired} running`),
            h('span', { class: 'tone-muted' }, ` · ${v.launchType || 'capacity provider'} · cluster ${v.cluster}`),
            ' ', probeTo(v.name, `service ${v.name}`)),
          short && v.lastStoppedReason ? h('p', {}, 'Last task stopped: ', h('code', { class: 'reason' }, v.lastStoppedReason)) : null);
      }))];
  }

  // renderStacks lists the CloudFormation stacks, a failed one with the
  // resource that failed first and CloudFormation's reason.
  function renderStacks(t) {
    const ss = t.stacks || [];
    if (!ss.length) return [];
    const tone = (st) => (/ROLLBACK|FAILED/.test(st) ? 'tone-bad' : /IN_PROGRESS/.test(st) ? 'tone-warn' : 'tone-ok');
    return [h('section', { class: 'rsec stacks' }, h('h3', {}, `CloudFormation stacks (${ss.length})`),
      ss.map((v) => h('div', { class: 'stack ' + tone(v.status), 'data-stack': v.name },
        h('div', {}, h('strong', {}, v.name), ' ', h('code', { class: tone(v.status) }, v.status),
          h('span', { class: 'tone-muted' }, ` · ${v.resources} resource${v.resources === 1 ? '' : 's'}`)),
        v.failedLogicalId ? h('p', {}, `${v.failedLogicalId} (${v.failedType}) failed: `, h('code', { class: 'reason' }, v.failedReason)) : null,
        !v.failedLogicalId && v.reason && tone(v.status) !== 'tone-ok' ? h('p', { class: 'tone-muted' }, v.reason) : null)))];
  }

  // probeTo is a button that makes a resource the probe's destination
  // and puts the cursor in From (what reaches it is the question).
  function probeTo(spec, what) {
    return h('button', { type: 'button', class: 'btn btn-small probe-to', 'aria-label': `Probe ${what}`, title: `Probe ${what}: it becomes the destination`,
      onclick: () => useInProbe('to', spec) }, 'Probe…');
  }

  // useInProbe puts a resource in the probe form's From or To and moves
  // the cursor to the other end, or runs the probe when both are set.
  function useInProbe(end, spec) {
    $(end).value = spec;
    if (end === 'to') $('port').value = '';
    const other = end === 'to' ? 'from' : 'to';
    closeDrawer();
    if ($(other).value.trim() && $('to').value.trim()) { $('run').focus(); return; }
    $(other).focus();
  }

  // ---------------------------------------------------------------- probe

  function splitPort(q) {
    const m = /^(.*):(\d{1,5})$/.exec(q.to || '');
    if (m && !/^internet$/.test(m[1])) return { ...q, to: m[1], port: Number(m[2]) };
    return { ...q, port: q.port || '' };
  }

  function setForm(q) {
    $('from').value = q.from || '';
    $('to').value = q.to || '';
    $('port').value = q.port || '';
    for (const r of document.querySelectorAll('input[name=protocol]')) r.checked = r.value === (q.protocol || 'tcp');
  }

  function readForm() {
    const proto = document.querySelector('input[name=protocol]:checked');
    return { from: $('from').value.trim(), to: $('to').value.trim(), port: Number($('port').value) || 0, protocol: proto ? proto.value : 'tcp' };
  }

  function setBusy(on) {
    $('run').disabled = on;
    $('run').textContent = on ? 'Running…' : 'Run probe';
    $('result').setAttribute('aria-busy', on ? 'true' : 'false');
  }

  async function runProbe(q, opts = {}) {
    if (!opts.quiet) setBusy(true);
    try {
      const resp = await api('POST', 'api/probe', { ...q, whatif: state.whatif ? state.whatif.id : undefined });
      state.probe = q;
      state.response = resp;
      await ensureExpanded(resp);
      renderResult(resp);
      drawPath(!opts.quiet);
      if (!state.whatif) writeHash(q);
    } catch (e) {
      if (e.status === 404 && state.whatif) { await resetWhatIf(); return; }
      // The path drawn, and the link in the address bar, belong to the
      // previous probe: clear them, so a reload does not bring it back.
      state.probe = null;
      state.response = null;
      drawPath(false);
      if (!state.whatif && location.hash) history.replaceState(null, '', location.pathname + location.search);
      showError(e, 'The probe failed: ');
    } finally {
      if (!opts.quiet) setBusy(false);
    }
  }

  // ensureExpanded expands the collapsed subnets a path goes through.
  async function ensureExpanded(resp) {
    if (!state.topo || !state.topo.collapsed || !resp.result) return;
    const collapsed = new Set();
    for (const v of state.topo.vpcs) for (const z of v.zones) for (const s of z.subnets) if (s.collapsed) collapsed.add(s.id);
    let more = false;
    for (const hop of [...resp.result.forwardPath, ...resp.result.returnPath]) {
      const sid = hop.subnet && hop.subnet.id;
      if (sid && collapsed.has(sid) && !state.expand.has(sid)) { state.expand.add(sid); more = true; }
    }
    if (more) await loadTopology();
  }

  function writeHash(q) {
    const p = new URLSearchParams({ from: q.from, to: q.to });
    if (q.port) p.set('port', q.port);
    if (q.protocol && q.protocol !== 'tcp') p.set('protocol', q.protocol);
    history.replaceState(null, '', '#' + p);
  }

  function readHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    if (!p.get('from') || !p.get('to')) return null;
    return { from: p.get('from'), to: p.get('to'), port: Number(p.get('port')) || '', protocol: p.get('protocol') || 'tcp' };
  }

  const TYPE = {
    internet: 'the internet', 'internet-gateway': 'internet gateway', 'network-acl': 'network ACL', 'route-table': 'route table',
    'network-interface': 'ENI', instance: 'instance', task: 'task', 'load-balancer': 'load balancer', listener: 'listener',
    'target-group': 'target group', 'nat-gateway': 'NAT gateway', 'vpc-endpoint': 'VPC endpoint', 'security-group': 'security group',
  };

  function compLabel(c) {
    if (!c) return '';
    if (c.type === 'internet') return 'the internet';
    return `${TYPE[c.type] || c.type} ${c.name || c.id}`;
  }

  function ports(pr) { return !pr ? 'all ports' : pr.from === pr.to ? String(pr.from) : `${pr.from}-${pr.to}`; }
  // An ICMP rule's type and code (-1: any), as the CLI writes them.
  function icmpWords(x) { return x.type < 0 ? 'all types' : x.code < 0 ? `type ${x.type}` : `type ${x.type} code ${x.code}`; }
  function rulePorts(r) { return r.icmpTypeCode ? icmpWords(r.icmpTypeCode) : /^icmp/.test(r.protocol) ? 'all types' : ports(r.portRange); }
  // A rule's protocol as the EC2 console writes it: -1 is all traffic.
  function proto(p) { return p === '-1' ? 'all traffic' : p; }

  function hopRule(hop) {
    if (hop.securityGroupRule) {
      const r = hop.securityGroupRule;
      const peer = r.referencedGroupId ? `sg ${r.referencedGroupId}` : r.prefixListId || r.cidr;
      const what = r.protocol === '-1' ? proto(r.protocol) : `${proto(r.protocol)} ${rulePorts(r)}`;
      return `${r.securityGroupName || r.securityGroupId} ${r.direction} rule: ${what} ${r.direction === 'egress' ? 'to' : 'from'} ${peer}`;
    }
    if (hop.aclRule) {
      const r = hop.aclRule;
      return `${r.networkAclId} ${r.egress ? 'outbound' : 'inbound'} rule ${r.ruleNumber === 32767 ? '*' : r.ruleNumber}: ${r.ruleAction} ${proto(r.protocol)}${r.portRange || r.icmpTypeCode ? ' ' + rulePorts(r) : ''} ${r.cidr}`;
    }
    if (hop.route) {
      const r = hop.route;
      return `${r.routeTableName || r.routeTableId}: ${r.destinationPrefixListId || r.destinationCidr} → ${r.target}${r.state !== 'active' ? ' (' + r.state + ')' : ''}`;
    }
    if (hop.socket) {
      const s = hop.socket;
      const at = `listening on ${s.address || '0.0.0.0'}:${s.port}/${s.protocol}`;
      if (s.task && s.container && s.kind === 'container') return `container ${s.container} of task ${s.task} ${at}`;
      if (s.task && s.container && s.kind === 'bridge') return `Docker's host port for container ${s.container} of task ${s.task} ${at}`;
      if (s.task && s.container && s.kind === 'host') return `container ${s.container} of task ${s.task} (host network mode) ${at}`;
      const who = s.task ? ` of task ${s.task}${s.container ? ', container ' + s.container : ''}` : '';
      return `${s.kind}${who} ${at}`;
    }
    return '';
  }

  // What a translating hop rewrote, from the packet the hop before it left
  // ("destination 203.0.113.2 → 10.0.1.4"), as the CLI says it.
  function addressChange(before, after) {
    if (!before || !after) return '';
    const end = (addr, port, other) => (port === other || !port ? addr : (addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`));
    const out = [];
    if (before.source !== after.source || before.sourcePort !== after.sourcePort) {
      out.push(`source ${end(before.source, before.sourcePort, after.sourcePort)} → ${end(after.source, after.sourcePort, before.sourcePort)}`);
    }
    if (before.destination !== after.destination || before.destinationPort !== after.destinationPort) {
      out.push(`destination ${end(before.destination, before.destinationPort, after.destinationPort)} → ${end(after.destination, after.destinationPort, before.destinationPort)}`);
    }
    return out.join(', ');
  }

  function isGood(v) {
    if (v === 'connected') return true;
    const m = /^http (\d+)$/.exec(v || '');
    return !!m && Number(m[1]) < 500;
  }

  function explainFor(res, path, seq) {
    return (res.explanations || []).filter((x) => x.blocking && x.path === path && x.hop === seq);
  }

  function renderHops(res, hops, path) {
    let after = false;
    return h('ol', { class: 'hops' }, hops.map((hop, i) => {
      const why = explainFor(res, path, hop.sequenceNumber);
      const change = hop.action === 'translated' && i > 0 ? addressChange(hops[i - 1].packet, hop.packet) : '';
      const li = h('li', {
        class: 'hop' + (hop.blocked ? ' blocked' : '') + (after ? ' after' : ''), tabindex: '0',
        'data-path': path, 'data-seq': hop.sequenceNumber,
        'aria-label': `${path} hop ${hop.sequenceNumber}: ${hop.action} ${hop.direction || ''} at ${compLabel(hop.component)}${hop.blocked ? ', blocked' : ''}`,
        onmouseenter: () => highlight(hop, path, true), onmouseleave: () => highlight(hop, path, false),
        onfocus: () => highlight(hop, path, true), onblur: () => highlight(hop, path, false),
      },
      h('span', { class: 'hopdot ' + (hop.blocked ? 'bad' : 'ok'), 'aria-hidden': 'true' }, hop.blocked ? '✕' : String(hop.sequenceNumber)),
      h('div', {},
        h('div', {}, h('span', { class: 'hop-act' }, hop.action + (hop.direction ? ' ' + hop.direction : '')), ' ',
          h('span', { class: 'hop-what' }, compLabel(hop.component)),
          hop.attachedTo && hop.attachedTo.name !== (hop.component && hop.component.name) ? h('span', { class: 'hop-act' }, ` of ${compLabel(hop.attachedTo)}`) : null),
        hopRule(hop) ? h('div', { class: 'hop-rule' }, hopRule(hop)) : null,
        change ? h('div', { class: 'hop-rule hop-nat' }, change) : null,
        hop.note ? h('div', { class: 'hop-rule' }, hop.note) : null,
        why.map((x) => h('div', { class: 'hop-why' }, x.message))));
      if (hop.blocked) after = true;
      return li;
    }));
  }

  function renderResult(resp) {
    const res = resp.result;
    const box = $('result');
    box.replaceChildren();
    const good = isGood(res.verdict);
    const q = resp.query;
    box.append(h('div', { class: 'verdict-line' },
      h('span', { class: 'verdict ' + (good ? 'good' : 'badv'), id: 'verdict' }, res.verdict),
      h('span', { class: 'query' }, `${q.from} → ${q.to} · ${q.protocol}${res.from && res.from.address && res.from.kind === 'internet' ? ' · client ' + res.from.address : ''}`),
      state.whatif ? null : h('button', { type: 'button', class: 'btn btn-small overview-btn', id: 'overview-btn',
        title: 'Back to the services, stacks and findings of this system', onclick: showOverview }, '← Overview')));
    // A system that is up: the same probe as a real packet on the kernel.
    if (resp.real) {
      const r = resp.real;
      box.append(h('div', { class: 'real-line', id: 'real', 'aria-label': `Real packet: ${r.verdict}, ${r.agree ? 'agrees with' : 'differs from'} the analyzer` },
        h('span', { class: 'real-label' }, 'Real packet'),
        h('span', { class: 'verdict ' + (isGood(r.verdict) ? 'good' : 'badv'), id: 'real-verdict' }, r.verdict),
        h('span', { class: 'real-detail' }, r.detail),
        h('span', { class: 'real-agree ' + (r.agree ? 'ok' : 'bad'), id: 'real-agree' }, r.agree ? '✓ agrees with the analyzer' : '✕ differs from the analyzer')));
    }
    if (resp.applied) {
      const asked = state.origProbe;
      const sp = splitPort(q);
      const changed = asked && (asked.from !== sp.from || asked.to !== sp.to || Number(asked.port || 0) !== Number(sp.port || 0));
      box.append(h('p', { class: 'verified-note' },
        `What-if copy with “${resp.applied.title}”.` + (changed ? ' The fix changes how the service is reached, so this is its verification probe.' : '')));
    }
    box.append(h('p', { class: 'summary', id: 'summary' }, res.summary));
    // The root cause behind a symptom (tasks that stop before they run,
    // instances that never register), in AWS's words.
    const causes = (res.explanations || []).filter((x) => x.blocking && x.tasksStopped && x.tasksStopped.startFailure);
    if (causes.length) {
      box.append(h('section', { class: 'rsec', id: 'rootcause' }, h('h3', {}, 'Root cause'), causes.map((x) => {
        const t = x.tasksStopped;
        const f = t.startFailure;
        return h('div', { class: 'finding error' },
          h('div', {}, h('code', {}, x.code), ` service ${t.service}`),
          h('p', {}, f.why + '.'),
          t.tasks && t.tasks.length ? h('p', {}, `${t.tasks.join(', ')} stopped with stopCode ${t.stopCode}:`) : null,
          h('p', {}, h('code', { class: 'reason' }, t.stoppedReason || f.reason)),
          t.unplaced ? h('p', { class: 'tone-muted' }, t.unplaced) : null);
      })));
    }
    const fixes = resp.fixes || [];
    if (fixes.length) {
      box.append(h('section', { class: 'rsec', id: 'fixes' }, h('h3', {}, `Fixes, each verified on a copy (${fixes.length})`), fixes.map(renderFix)));
    } else if (!res.reachable) {
      box.append(h('section', { class: 'rsec' }, h('h3', {}, 'Fixes'), h('p', { class: 'placeholder' }, 'No single change found that makes this probe succeed.')));
    }
    box.append(h('section', { class: 'rsec' }, h('h3', {}, 'Forward path, hop by hop'), renderHops(res, res.forwardPath, 'forward')));
    if (res.returnPath && res.returnPath.length) {
      const retBlocked = res.returnPath.some((x) => x.blocked);
      box.append(h('details', { class: 'rsec', open: retBlocked || null }, h('summary', {}, 'Return path'), renderHops(res, res.returnPath, 'return')));
    }
    if (res.targets && res.targets.length) {
      box.append(h('details', { class: 'rsec' }, h('summary', {}, `Targets (${res.targets.length})`), h('ul', { class: 'notes targets-list' },
        res.targets.map((t) => h('li', {}, `${t.id}:${t.port} ${t.name || ''}: ${t.health}${t.reason ? ' (' + t.reason + ')' : ''}, from the load balancer: ${t.verdict}${t.chosen ? ' ← this path' : ''}`)))));
    }
    const details = (res.explanations || []).filter((x) => !x.blocking);
    const notes = [...(res.notes || []), ...details.map((x) => `${x.code}: ${x.message}`)];
    if (notes.length) box.append(h('details', { class: 'rsec' }, h('summary', {}, 'Notes'), h('ul', { class: 'notes' }, notes.map((n) => h('li', {}, n)))));
  }

  function renderFix(f) {
    const v = f.verification;
    return h('div', { class: 'fix', 'data-rank': f.rank },
      h('div', { class: 'fix-head' },
        h('div', {}, h('span', { class: 'fix-rank' }, `${f.rank}.`), h('span', { class: 'fix-title' }, f.title),
          h('div', { class: 'fix-verify' }, `verified: ${v.from} → ${v.to} `, h('span', { class: 'ok' }, v.verdict.toUpperCase()))),
        h('button', { type: 'button', class: 'btn btn-small try', 'aria-label': `Try it on a what-if copy: ${f.title}`, onclick: (ev) => tryFix(f, ev.currentTarget) }, 'Try it')),
      h('details', {}, h('summary', {}, 'why, and the change as aws CLI commands and a scenario'),
        f.detail ? h('p', {}, f.detail) : null,
        snippet(f.awsCli.join('\n'), 'the aws CLI commands'),
        f.scenario ? snippet(f.scenario, 'the scenario change') : null));
  }

  function showError(e, prefix) {
    const box = $('result');
    box.replaceChildren(h('div', { class: 'error-box', role: 'alert', id: 'probe-error' }, (prefix || '') + (e.message || String(e))));
  }

  // copyText puts text on the clipboard: the Clipboard API where the page
  // may use it, else a selected textarea and execCommand('copy').
  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try { await navigator.clipboard.writeText(text); return true; } catch (_) { /* fall back */ }
    }
    const ta = h('textarea', { class: 'copy-buffer', readonly: true, 'aria-hidden': 'true' });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch (_) { ok = false; }
    ta.remove();
    return ok;
  }

  // snippet is a command (or file) block with a button that copies it.
  function snippet(text, what) {
    const status = h('span', { class: 'copy-status', role: 'status', 'aria-live': 'polite' });
    const btn = h('button', {
      type: 'button', class: 'btn btn-small copy', 'aria-label': `Copy ${what}`,
      onclick: async () => {
        const ok = await copyText(text);
        btn.textContent = ok ? 'Copied' : 'Copy failed';
        btn.classList.toggle('copied', ok);
        status.textContent = ok ? `${what} copied to the clipboard` : 'could not copy: select the text and copy it';
        clearTimeout(btn._t);
        btn._t = setTimeout(() => { btn.textContent = 'Copy'; btn.classList.remove('copied'); status.textContent = ''; }, 1800);
      },
    }, 'Copy');
    return h('div', { class: 'snippet' }, h('pre', {}, text), btn, status);
  }

  // ---------------------------------------------------------------- what-if

  async function tryFix(f, btn) {
    const q = state.probe;
    if (!q) return;
    btn.disabled = true;
    btn.textContent = 'Applying…';
    try {
      const resp = await api('POST', 'api/whatif', { from: q.from, to: q.to, port: q.port || 0, protocol: q.protocol, fix: f.title, base: state.whatif ? state.whatif.id : undefined });
      if (!state.whatif) state.origProbe = q;
      state.whatif = resp.whatIf;
      state.response = resp;
      state.probe = splitPort(resp.query);
      setForm(state.probe);
      showBanner();
      await loadTopology();
      renderResult(resp);
      drawPath(true);
      $('result').scrollTop = 0;
      $('result').focus({ preventScroll: true });
    } catch (e) {
      btn.disabled = false;
      btn.textContent = 'Try it';
      showError(e);
    }
  }

  function showBanner(note) {
    const b = $('whatif-banner');
    if (!state.whatif) { b.hidden = true; return; }
    b.hidden = false;
    $('whatif-text').textContent = state.whatif.fixes.join(' + ') + (note ? ` — ${note}` : '');
    $('whatif-text').title = $('whatif-text').textContent;
  }

  async function resetWhatIf() {
    const w = state.whatif;
    state.whatif = null;
    showBanner();
    if (w) api('DELETE', 'api/whatif/' + encodeURIComponent(w.id)).catch(() => {});
    await loadTopology();
    const q = state.origProbe || state.probe;
    state.origProbe = null;
    if (q) { setForm(q); await runProbe(q); }
    $('result').focus({ preventScroll: true });
  }

  // ---------------------------------------------------------------- path overlay

  function elFor(hop, subnet) {
    const c = hop.component;
    if (!c) return null;
    if (c.type === 'internet') return $('internet-node');
    if (c.type === 'network-acl' || c.type === 'route-table') {
      const exact = state.index.get(`${c.id}@${subnet}`);
      if (exact) return exact[0];
      for (const [k, v] of state.index) if (k.startsWith(c.id + '@')) return v[0];
      return null;
    }
    for (const k of [c.id, c.arn]) {
      if (k && state.index.has(k)) return state.index.get(k)[0];
    }
    return null;
  }

  function anchorOf(el) {
    return el.querySelector(':scope > [data-anchor]') || el;
  }

  function rectIn(el, base) {
    const r = el.getBoundingClientRect();
    return { x: r.left - base.left, y: r.top - base.top, w: r.width, h: r.height, cx: r.left - base.left + r.width / 2, cy: r.top - base.top + r.height / 2 };
  }

  // edge returns where the line from the centre of r towards (tx, ty) leaves r.
  function edge(r, tx, ty) {
    const dx = tx - r.cx, dy = ty - r.cy;
    if (!dx && !dy) return { x: r.cx, y: r.cy };
    const sx = dx ? (r.w / 2) / Math.abs(dx) : Infinity;
    const sy = dy ? (r.h / 2) / Math.abs(dy) : Infinity;
    const s = Math.min(sx, sy, 1);
    return { x: r.cx + dx * s, y: r.cy + dy * s };
  }

  function svg(tag, attrs, ...kids) {
    const el = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) el.setAttribute(k, v);
    for (const k of kids) el.append(k instanceof Node ? k : document.createTextNode(String(k)));
    return el;
  }


  function shortWhy(x, res) {
    const pp = `${res.protocol}/${x.port || res.port}`;
    switch (x.code) {
      case 'ENI_SG_RULES_MISMATCH': {
        const gs = (x.securityGroups || []).map((g) => g.name || g.id).join(', ') || 'its groups';
        return `✕ ${gs}: no ${x.direction === 'egress' ? 'outbound' : 'inbound'} rule for ${pp}`;
      }
      case 'SUBNET_ACL_RESTRICTION': {
        const r = x.aclRule;
        return `✕ network ACL ${r ? (r.egress ? 'outbound' : 'inbound') + ' rule ' + (r.ruleNumber === 32767 ? '*' : r.ruleNumber) + ' ' : ''}denies ${x.path === 'return' ? 'the reply' : pp}`;
      }
      case 'ECS_PORT_ON_TASK_ENI': return `✕ nothing listens on ${pp} here`;
      case 'ECS_NO_LISTENER': return `✕ nothing listens on ${pp}`;
      case 'ECS_NO_HOST_PORT_BINDING': return `✕ no host port ${x.port || res.port} published`;
      case 'NO_ROUTE_TO_DESTINATION': return '✕ no route to the destination';
      case 'BAD_STATE_ROUTE': return '✕ the route is a blackhole';
      case 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS': return '✕ no interface holds this public IP';
      case 'IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS': return '✕ the sender has no public IP';
      case 'ECS_AWSVPC_EC2_NO_PUBLIC_IP': return '✕ an awsvpc task on EC2 has no public IP';
      case 'ECS_ASSIGN_PUBLIC_IP_DISABLED': return '✕ the task has no public IP';
      case 'ECS_TASK_PRIVATE_ADDRESS': return '✕ a private address: use the task\'s public IP';
      case 'ECS_APP_BOUND_TO_LOOPBACK': return '✕ the app listens on 127.0.0.1 only';
      case 'ECS_TASK_NOT_RUNNING': return '✕ the task is not running';
      case 'ELBV2_LISTENER_PORT_RESTRICTION': return `✕ no listener on ${pp}`;
      case 'ECS_NO_REGISTERED_TARGETS': return '✕ no registered targets';
      case 'ECS_LB_INTERNAL': return '✕ internal load balancer';
      case 'ECS_LB_NO_PUBLIC_IPV4': return '✕ no public IPv4 (IPv6 clients only)';
      case 'ECS_NAT_GATEWAY_NO_INBOUND': return '✕ nothing enters through a NAT gateway';
      case 'ECS_RETURN_ROUTE_MISMATCH': return '✕ the reply is routed another way';
      default: return `✕ ${x.code}`;
    }
  }

  // resolveHops maps a path's hops to the diagram: "solid" hops (the
  // internet, gateways, ENIs, instances, tasks, load balancer parts) to
  // their element; network ACL and route table hops to their subnet, kept
  // with the solid hop that follows them.
  function resolveHops(hops) {
    const out = { solid: [], trailing: [], all: [] };
    let subnet = null, after = false, pending = [], prevENI = null;
    for (const hop of hops) {
      if (!hop.component) continue;
      if (hop.subnet) subnet = hop.subnet.id;
      const el = elFor(hop, subnet);
      if (BOUNDARY.has(hop.component.type)) {
        const sid = hop.subnet ? hop.subnet.id : subnet;
        const it = { hop, el, after, subnetEl: sid ? document.querySelector(`#diagram [data-subnet="${CSS.escape(sid)}"]`) : (el && el.closest('[data-subnet]')) };
        pending.push(it);
        out.all.push(it);
      } else if (el) {
        const sn = el.closest('[data-subnet]');
        if (sn && hop.component.type === 'network-interface') subnet = sn.dataset.subnet;
        const it = { hop, el, after, before: pending, prevENI };
        pending = [];
        out.solid.push(it);
        out.all.push(it);
        if (hop.component.type === 'network-interface') prevENI = el;
      }
      if (hop.blocked) after = true;
    }
    out.trailing = pending;
    return out;
  }

  const BOUNDARY = new Set(['network-acl', 'route-table']);

  function sizeOverlay() {
    const over = $('overlay'), canvas = $('canvas');
    over.setAttribute('width', canvas.scrollWidth);
    over.setAttribute('height', canvas.scrollHeight);
  }

  function clearAnnotations() {
    for (const a of document.querySelectorAll('#diagram .annot')) a.remove();
    for (const el of document.querySelectorAll('#diagram .on-path, #diagram .blocked-here, #diagram .port-here, #diagram .hit')) {
      el.classList.remove('on-path', 'blocked-here', 'port-here', 'hit');
    }
  }

  // annotate writes a note into a resource of the diagram.
  function annotate(el, text, tone) {
    for (const a of el.querySelectorAll(':scope .annot')) if (a.textContent === text) return a;
    const a = h('div', { class: `annot ${tone}` }, text);
    if (el.classList.contains('subnet')) el.querySelector('.subnet-head').append(a);
    else if (el.querySelector(':scope > .eni-lines')) el.querySelector(':scope > .eni-lines').append(a);
    else if (el.classList.contains('eni-row')) el.after(a);
    else if (el.querySelector(':scope > [data-anchor]')) el.querySelector(':scope > [data-anchor]').after(a);
    else el.append(a);
    return a;
  }

  // bez is a curve from a to b, leaving and arriving vertically when the
  // rise is the larger (or when vertical says so), else horizontally.
  function bez(a, b, vertical) {
    const dx = b.x - a.x, dy = b.y - a.y;
    let c1, c2;
    if (vertical === undefined ? Math.abs(dy) >= Math.abs(dx) : vertical) {
      c1 = { x: a.x, y: a.y + dy / 2 };
      c2 = { x: b.x, y: b.y - dy / 2 };
    } else {
      c1 = { x: a.x + dx / 2, y: a.y };
      c2 = { x: b.x - dx / 2, y: b.y };
    }
    const at = (t) => {
      const u = 1 - t;
      return {
        x: u * u * u * a.x + 3 * u * u * t * c1.x + 3 * u * t * t * c2.x + t * t * t * b.x,
        y: u * u * u * a.y + 3 * u * u * t * c1.y + 3 * u * t * t * c2.y + t * t * t * b.y,
      };
    };
    return { d: `M${a.x},${a.y} C${c1.x},${c1.y} ${c2.x},${c2.y} ${b.x},${b.y}`, at };
  }

  // crossing returns where a segment crosses a rectangle's border.
  function crossing(seg, r) {
    const inside = (p) => p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h;
    let prev = inside(seg.at(0));
    for (let i = 1; i <= 80; i++) {
      const p = seg.at(i / 80);
      const cur = inside(p);
      if (cur !== prev) return p;
      prev = cur;
    }
    return null;
  }

  // textRects are the rectangles of the diagram's text, in the canvas's
  // coordinates (a line of a wrapped label each).
  function textRects(base) {
    const out = [];
    const walk = document.createTreeWalker($('diagram'), NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.textContent.trim()) continue;
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) {
        if (r.width && r.height) out.push({ x: r.left - base.left - 1, y: r.top - base.top - 1, w: r.width + 2, h: r.height + 2 });
      }
    }
    return out;
  }

  // hits counts the text rectangles a curve runs through.
  function hits(seg, rects) {
    const pts = [];
    for (let i = 1; i < 60; i++) pts.push(seg.at(i / 60));
    let n = 0;
    for (const r of rects) if (pts.some((p) => p.x >= r.x && p.x <= r.x + r.w && p.y >= r.y && p.y <= r.y + r.h)) n++;
    return n;
  }

  // drawPath shows the result on the diagram. The forward path is a line
  // through the resources the packet visits, with a numbered marker per
  // hop (green passed, red blocked); network ACL and route table hops sit
  // where the line crosses their subnet's border. Blocking hops get a
  // note in the resource itself, and for the awsvpc trap the ENI where the
  // port really listens is marked too.
  function drawPath(scroll) {
    const over = $('overlay');
    const canvas = $('canvas');
    over.replaceChildren();
    clearAnnotations();
    const resp = state.response;
    const client = $('internet-client');
    if (!resp || !resp.result || !state.topo) {
      if (client) client.textContent = 'clients anywhere';
      sizeOverlay();
      return;
    }
    const res = resp.result;
    if (client) client.textContent = res.from && res.from.kind === 'internet' ? `client ${res.from.address}` : 'clients anywhere';

    const fwd = resolveHops(res.forwardPath);
    const ret = resolveHops(res.returnPath || []);

    // Notes in the resources first: they change the layout.
    const notes = [];
    for (const x of res.explanations || []) {
      if (!x.blocking) continue;
      const list = x.path === 'return' ? ret : fwd;
      const item = list.all.find((it) => it.hop.sequenceNumber === x.hop);
      if (!item) continue;
      let el = item.el;
      if (BOUNDARY.has(item.hop.component.type)) el = item.subnetEl || el;
      if (item.hop.component.type === 'instance' && item.prevENI) el = item.prevENI;
      if (!el) continue;
      const a = annotate(el, shortWhy(x, res), 'bad');
      if (x.code === 'ECS_PORT_ON_TASK_ENI' || x.code === 'ECS_AWSVPC_EC2_NO_PUBLIC_IP') notes.push({ from: a, x });
    }
    const trap = [];
    for (const n of notes) {
      const eni = n.x.networkInterface && state.index.get(n.x.networkInterface.id);
      if (!eni) continue;
      const el = eni[0];
      el.classList.add('port-here');
      const want = `${n.x.port || res.port}/${res.protocol}`;
      for (const line of el.querySelectorAll('.container-line')) if ((line.dataset.ports || '').split(' ').includes(want)) line.classList.add('hit');
      const pub = el.querySelector('.pip-no');
      const b = annotate(el, `${res.protocol}/${n.x.port || res.port} listens here${pub ? ', but this ENI has no public IP' : ''}`, 'warn');
      if (n.from !== b) trap.push({ a: n.from, b });
    }

    sizeOverlay();
    const base = canvas.getBoundingClientRect();
    over.append(svg('defs', {},
      svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '8', refY: '5', markerWidth: '6', markerHeight: '6', orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' })),
      svg('marker', { id: 'arrow-warn', viewBox: '0 0 10 10', refX: '8', refY: '5', markerWidth: '6', markerHeight: '6', orient: 'auto-start-reverse' },
        svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead-warn' }))));
    // Lines run beneath the labels: a mask cuts them where they cross text.
    const texts = textRects(base);
    const under = svg('mask', { id: 'under-text', maskUnits: 'userSpaceOnUse', x: 0, y: 0, width: over.getAttribute('width'), height: over.getAttribute('height') },
      svg('rect', { x: 0, y: 0, width: over.getAttribute('width'), height: over.getAttribute('height'), fill: '#fff' }),
      ...texts.map((r) => svg('rect', { class: 'text-hole', x: r.x, y: r.y, width: r.w, height: r.h, fill: '#000' })));
    over.firstChild.append(under);
    const lines = svg('g', { mask: 'url(#under-text)' });
    const marks = svg('g', {});
    over.append(lines, marks);

    const markAt = [];
    const corner = new Map();
    // Markers stack along an element, in path order: place them once all
    // are known.
    const atCorner = (el) => {
      const k = corner.get(el) || 0;
      corner.set(el, k + 1);
      return { el, k };
    };
    // Markers and lines keep off the diagram's text: a marker goes to the
    // first free spot of its candidates (on the element's top edge, then
    // outside it at a corner, then further out), a line takes the
    // attachment points that cross the fewest labels.
    const placed = [];
    const free = (p) => !texts.some((r) => p.x + 11 > r.x && p.x - 11 < r.x + r.w && p.y + 11 > r.y && p.y - 11 < r.y + r.h) &&
      !placed.some((q) => Math.abs(q.x - p.x) < 20 && Math.abs(q.y - p.y) < 20);
    const around = (p) => {
      const out = [];
      for (let d = 8; d <= 96; d += 8) {
        for (const [dx, dy] of [[1, 0], [0, -1], [-1, 0], [0, 1], [1, -1], [-1, -1], [1, 1], [-1, 1]]) out.push({ x: p.x + dx * d, y: p.y + dy * d });
      }
      return out;
    };
    const spot = (cands) => {
      for (const p of cands) if (free(p)) return p;
      for (const p of around(cands[0])) if (free(p)) return p;
      const p = { ...cands[0] };
      while (placed.some((q) => Math.abs(q.x - p.x) < 18 && Math.abs(q.y - p.y) < 18)) p.x += 21;
      return p;
    };
    const place = (c) => {
      const r = rectIn(anchorOf(c.el), base);
      const n = corner.get(c.el);
      const k = c.k, back = n - 1 - c.k;
      // The internet and the gateway: markers to the right; boxes: along
      // the top edge, ending at the right-hand corner, else outside.
      if (c.el.id === 'internet-node' || c.el.classList.contains('igw')) {
        return [{ x: r.x + r.w + 13 + k * 21, y: r.cy }, { x: r.x - 13 - back * 21, y: r.cy }];
      }
      return [
        { x: r.x + r.w - 10 - back * 21, y: r.y },
        { x: r.x + r.w - 10 - back * 21, y: r.y - 11 },
        { x: r.x + r.w + 12 + k * 21, y: r.y },
        { x: r.x + r.w + 12 + k * 21, y: r.y + r.h },
        { x: r.x + r.w - 10 - back * 21, y: r.y + r.h },
        { x: r.x + r.w - 10 - back * 21, y: r.y + r.h + 11 },
        { x: r.x - 12 - back * 21, y: r.y },
        { x: r.x + 10 + k * 21, y: r.y },
      ];
    };
    // route joins two elements by the curve that crosses the fewest labels
    // (the one between the facing centres when it crosses none).
    const route = (ra, rb) => {
      const best = { seg: bez(edge(ra, rb.cx, rb.cy), edge(rb, ra.cx, ra.cy)) };
      best.hits = hits(best.seg, texts);
      if (!best.hits) return best.seg;
      const fr = [0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9, 0.04, 0.96];
      let sa, sb, vertical = true;
      if (rb.y >= ra.y + ra.h) sa = (f) => ({ x: ra.x + ra.w * f, y: ra.y + ra.h }), sb = (f) => ({ x: rb.x + rb.w * f, y: rb.y });
      else if (rb.y + rb.h <= ra.y) sa = (f) => ({ x: ra.x + ra.w * f, y: ra.y }), sb = (f) => ({ x: rb.x + rb.w * f, y: rb.y + rb.h });
      else if (rb.x >= ra.x + ra.w) vertical = false, sa = (f) => ({ x: ra.x + ra.w, y: ra.y + ra.h * f }), sb = (f) => ({ x: rb.x, y: rb.y + rb.h * f });
      else vertical = false, sa = (f) => ({ x: ra.x, y: ra.y + ra.h * f }), sb = (f) => ({ x: rb.x + rb.w, y: rb.y + rb.h * f });
      for (const fa of fr) {
        for (const fb of fr) {
          const seg = bez(sa(fa), sb(fb), vertical);
          const n = hits(seg, texts);
          if (n < best.hits) { best.seg = seg; best.hits = n; }
          if (!n) return seg;
        }
      }
      return best.seg;
    };
    const lbOf = (el) => el.closest('.lb');

    // Segments between the solid resources, boundary hops on them. Inside
    // a load balancer the band itself shows the flow: no lines there.
    const solid = fwd.solid;
    for (let i = 0; i < solid.length; i++) {
      const b = solid[i];
      const a = i > 0 ? solid[i - 1] : null;
      let seg = null;
      const sameLB = a && lbOf(a.el) && lbOf(a.el) === lbOf(b.el);
      if (a && !sameLB && a.el !== b.el && !a.el.contains(b.el) && !b.el.contains(a.el)) {
        seg = route(rectIn(anchorOf(a.el), base), rectIn(anchorOf(b.el), base));
        lines.append(svg('path', { d: seg.d, class: b.after ? 'route after' : 'route flow', 'marker-end': b.after ? null : 'url(#arrow)' }));
      }
      for (const bd of b.before) {
        // A network ACL or route table hop sits where the line crosses its
        // subnet's border; else with the resource it leads to.
        const p = seg && bd.subnetEl ? crossing(seg, rectIn(bd.subnetEl, base)) : null;
        markAt.push({ p: p || atCorner(b.el), it: bd });
      }
      markAt.push({ p: atCorner(b.el), it: b });
    }
    for (const bd of fwd.trailing) if (bd.el) markAt.push({ p: atCorner(bd.el), it: bd });
    for (const it of ret.all) {
      if (!it.hop.blocked) continue;
      const el = BOUNDARY.has(it.hop.component.type) ? it.el : it.el;
      if (el) markAt.push({ p: atCorner(el), it, ret: true });
    }

    for (const m of markAt) {
      m.p = spot(m.p.el ? place(m.p) : [m.p]);
      placed.push(m.p);
      const { hop } = m.it;
      const label = m.ret ? '↩' : String(hop.sequenceNumber);
      marks.append(svg('g', { class: 'marker ' + (hop.blocked ? 'bad' : 'ok') + (m.it.after ? ' dim' : '') },
        svg('circle', { cx: m.p.x, cy: m.p.y, r: 9.5 }),
        svg('text', { x: m.p.x, y: m.p.y + 0.5 }, label),
        svg('title', {}, `${m.ret ? 'return' : 'forward'} hop ${hop.sequenceNumber}: ${hop.action} ${hop.direction || ''} ${compLabel(hop.component)}. ${hopRule(hop)}`)));
      const el = m.it.el;
      if (el && !BOUNDARY.has(hop.component.type)) el.classList.add(hop.blocked && !m.it.after ? 'blocked-here' : 'on-path');
    }

    // The awsvpc trap: from "nothing listens here" to where it listens.
    for (const t of trap) {
      const ra = rectIn(t.a, base), rb = rectIn(t.b, base);
      const p = edge(ra, rb.cx, rb.cy), q = edge(rb, ra.cx, ra.cy);
      lines.append(svg('path', { d: bez(p, q).d, class: 'trap', 'marker-end': 'url(#arrow-warn)' }));
    }

    if (scroll) {
      const first = solid.find((p) => p.hop.blocked) || solid[solid.length - 1];
      if (first) first.el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  }

  function highlight(hop, path, on) {
    let subnet = hop.subnet ? hop.subnet.id : null;
    if (!subnet && state.response) {
      const hops = path === 'return' ? state.response.result.returnPath : state.response.result.forwardPath;
      for (const x of hops) {
        if (x.subnet) subnet = x.subnet.id;
        if (x === hop) break;
      }
    }
    const el = elFor(hop, subnet);
    if (el) {
      el.classList.toggle('hl', on);
      if (on) el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  }

  // ---------------------------------------------------------------- details drawer

  // PROBEABLE are the kinds of resource a probe starts or ends at.
  const PROBEABLE = new Set(['instance', 'task', 'network-interface', 'load-balancer', 'service', 'nat-gateway']);

  async function openDetails(id, opener) {
    state.opener = opener || document.activeElement;
    const q = new URLSearchParams({ id });
    if (state.whatif) q.set('whatif', state.whatif.id);
    let d;
    try {
      d = await api('GET', 'api/resource?' + q);
    } catch (e) {
      d = { type: 'Error', title: e.message, fields: [], sections: [], findings: [] };
    }
    $('drawer-type').textContent = d.type;
    $('drawer-title').textContent = d.title;
    $('drawer-sub').textContent = d.subtitle || '';
    const body = $('drawer-body');
    body.replaceChildren();
    if (d.fields.length) {
      body.append(h('dl', { class: 'fields' }, d.fields.flatMap((f) => [h('dt', {}, f.label),
        h('dd', { class: f.tone ? 'tone-' + f.tone : null }, f.ref ? refLink(f.value, f.ref) : f.value)])));
    }
    for (const f of d.findings || []) {
      body.append(h('div', { class: 'why' }, h('code', {}, `${f.severity} ${f.code}`), h('p', {}, f.message), f.fix ? h('p', { class: 'tone-muted' }, f.fix) : null));
    }
    for (const s of d.sections) {
      const sec = h('section', { class: 'dsec' }, h('h3', {}, s.title), s.note ? h('div', { class: 'note' }, s.note) : null);
      if (!s.rows.length) {
        sec.append(h('table', { class: 'grid' }, h('tbody', {}, h('tr', {}, h('td', { class: 'none' }, 'none')))));
      } else {
        sec.append(h('table', { class: 'grid' },
          h('thead', {}, h('tr', {}, s.columns.map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, s.rows.map((r) => h('tr', {}, r.map((c) => h('td', { class: c.tone ? 'tone-' + c.tone : null }, c.ref ? refLink(c.t, c.ref) : c.t)))))));
      }
      body.append(sec);
    }
    if (PROBEABLE.has(d.kind)) {
      // The name the diagram shows where the probe takes it, else the id.
      const spec = ['network-interface', 'nat-gateway'].includes(d.kind) || !d.title ? d.id : d.title;
      body.prepend(h('div', { class: 'drawer-actions' },
        h('button', { type: 'button', class: 'btn btn-small', onclick: () => useInProbe('from', spec) }, 'Probe from here'),
        h('button', { type: 'button', class: 'btn btn-small', onclick: () => useInProbe('to', spec) }, 'Probe to here')));
    }
    const bar = document.querySelector('.topo-toolbar');
    if (bar) $('drawer').parentElement.style.setProperty('--toolbar-h', bar.offsetHeight + 'px');
    $('drawer').hidden = false;
    body.scrollTop = 0;
    $('drawer-close').focus();
  }

  function refLink(text, id) {
    return h('button', { type: 'button', class: 'linkish', onclick: () => { const o = state.opener; openDetails(id, o); } }, text || id);
  }

  function closeDrawer() {
    if ($('drawer').hidden) return;
    $('drawer').hidden = true;
    const o = state.opener;
    state.opener = null;
    if (o && document.contains(o)) o.focus();
  }

  // ---------------------------------------------------------------- live updates

  function setLive(mode, text) {
    const l = $('live');
    l.classList.toggle('on', mode === 'on');
    l.classList.toggle('poll', mode === 'poll');
    $('live-text').textContent = text;
  }

  function onVersion(v, gen, problem) {
    setProblem(problem);
    setLive(state.polling ? 'poll' : 'on', `live · v${v}`);
    if (state.whatif) {
      if (gen !== undefined && state.realGen !== undefined && gen !== state.realGen) showBanner('the source was reloaded since this copy');
      else if (v !== state.whatif.baseVersion) showBanner(`the real system changed since this copy (v${state.whatif.baseVersion} → v${v})`);
      return;
    }
    if (state.topo && (v !== state.topo.version || (gen !== undefined && gen !== state.topo.generation))) {
      clearTimeout(state.refreshTimer);
      state.refreshTimer = setTimeout(refresh, 200);
    }
  }

  // setProblem shows why the source no longer loads (the last good
  // system stays drawn), or hides the note.
  function setProblem(problem) {
    const b = $('problem');
    b.hidden = !problem;
    $('problem-text').textContent = problem || '';
  }

  async function refresh() {
    if (state.whatif) return;
    try {
      await loadTopology();
      if (state.probe && state.response && !state.response.applied) await runProbe(state.probe, { quiet: true });
    } catch (e) {
      setLive('', 'update failed: ' + e.message);
    }
  }

  function connectEvents() {
    if (!window.EventSource) { startPolling(); return; }
    const es = new EventSource('api/events');
    es.addEventListener('version', (ev) => {
      let d;
      try { d = JSON.parse(ev.data); } catch (_) { return; }
      onVersion(d.version, d.generation, d.problem);
    });
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) startPolling();
      else setLive('', 'reconnecting…');
    };
  }

  function startPolling() {
    if (state.polling) return;
    setLive('poll', 'polling');
    state.polling = setInterval(async () => {
      try { const d = await api('GET', 'api/version'); onVersion(d.version, d.generation, d.problem); } catch (_) { setLive('', 'offline'); }
    }, 2000);
  }

  // ---------------------------------------------------------------- start

  function init() {
    $('probe-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const q = readForm();
      if (!q.from || !q.to) { showError(new Error('Pick a source and a destination.')); return; }
      runProbe(q);
    });
    $('to').addEventListener('change', () => {
      const p = state.topo && state.topo.endpoints.find((x) => x.spec === $('to').value.trim());
      if (p && p.ports && p.ports.length && !$('port').value) $('port').value = p.ports[0];
    });
    $('reset-btn').addEventListener('click', () => resetWhatIf().catch(showError));
    $('drawer-close').addEventListener('click', closeDrawer);
    document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') closeDrawer(); });
    new ResizeObserver(() => requestAnimationFrame(() => drawPath(false))).observe($('canvas'));
    let lastW = 0, lastH = 0;
    new ResizeObserver(() => {
      const t = $('topo');
      if (t.clientWidth === lastW && t.clientHeight === lastH) return;
      lastW = t.clientWidth;
      lastH = t.clientHeight;
      // fit may change the diagram's zoom, which moves every element
      // without resizing the canvas: the path is drawn again after it.
      requestAnimationFrame(() => { fit(); drawPath(false); });
    }).observe($('topo'));
    loadTopology().then((t) => {
      const fromHash = readHash();
      if (fromHash) { setForm(fromHash); runProbe(fromHash); } else if (t.examples && t.examples.length) {
        const e = t.examples[0];
        setForm(splitPort({ from: e.from, to: e.to, protocol: e.protocol || 'tcp' }));
      } else {
        const addr = t.endpoints.find((p) => p.kind === 'address');
        setForm({ from: 'internet', to: addr ? addr.spec : '', port: '', protocol: 'tcp' });
      }
      connectEvents();
    }).catch((e) => {
      $('diagram').replaceChildren(h('p', { class: 'error-box', role: 'alert' }, 'Could not load the system: ' + e.message));
      connectEvents();
    });
  }

  init();
})();
