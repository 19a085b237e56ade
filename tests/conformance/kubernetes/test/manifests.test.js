// deploy/kubernetes, offline: every overlay and Job renders with `kubectl kustomize`, every object
// validates against its schema (kubernetes-models, @kubernetes-models/gateway-api and /keda), and
// the promises docs/kubernetes.md makes hold in what is rendered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../../../deploy/kubernetes');
const overlays = ['demo', 'demo-postgres', 'production', 'keda'];
const jobs = ['configure', 'new-site', 'migrate', 'backup', 'drop-site'];
const roles = ['backend', 'frontend', 'websocket', 'worker-short', 'worker-long', 'scheduler'];

const kubectl = process.env.KUBECTL || 'kubectl';
function render(dir) {
  const text = execFileSync(kubectl, ['kustomize', join(root, dir)], { encoding: 'utf8' });
  return parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);
}
const rendered = Object.fromEntries(overlays.map((o) => [o, render(`overlays/${o}`)]));
const renderedJobs = Object.fromEntries(jobs.map((j) => [j, render(`jobs/${j}`)]));

const byKind = (objs, kind) => objs.filter((o) => o.kind === kind);
const named = (objs, kind, name) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const podSpec = (o) => (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec);
const workloads = (objs) => objs.filter((o) => ['Deployment', 'StatefulSet', 'Job', 'DaemonSet'].includes(o.kind));

// apiVersion -> the package folder holding its models.
function modelModule(apiVersion) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'gateway.networking.k8s.io') return `@kubernetes-models/gateway-api/${group}/${version}/index.js`;
  if (group === 'keda.sh') return `@kubernetes-models/keda/${group}/${version}/index.js`;
  return group ? `kubernetes-models/${group}/${version}/index.js` : `kubernetes-models/${version}/index.js`;
}
// The schema validators check the fields they know and ignore the rest, as a client-side dry run
// does; the API server (strict field validation, the default since Kubernetes 1.27) refuses an
// unknown field. So every object is also walked through a proxy that records which fields the
// validator reads: a field it never read is unknown (a typo such as `livenesProbe`). Objects the
// validator lists (maps like labels) or never looks into (free-form objects) are left alone.
function tracked(value, path, records) {
  if (value === null || typeof value !== 'object') return value;
  const record = { path, value, read: new Set(), listed: false };
  if (!Array.isArray(value)) records.push(record);
  const children = new Map();
  return new Proxy(value, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return v;
      record.read.add(key);
      if (!Object.hasOwn(target, key)) return v;
      if (!children.has(key)) children.set(key, tracked(v, `${path}.${key}`, records));
      return children.get(key);
    },
    has(target, key) {
      record.read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      record.listed = true;
      return Reflect.ownKeys(target);
    },
  });
}
function unknownFields(records) {
  return records
    .filter((r) => !r.listed && r.read.size > 0)
    .flatMap((r) => Object.keys(r.value).filter((k) => !r.read.has(k)).map((k) => `${r.path}.${k}`));
}
async function validate(obj) {
  const mod = await import(join(here, '..', 'node_modules', modelModule(obj.apiVersion)));
  const Model = mod[obj.kind];
  assert.ok(Model, `no schema for ${obj.apiVersion} ${obj.kind}`);
  const model = new Model(obj);
  const records = [];
  model.validate.call(tracked(model, obj.kind, records));
  const unknown = unknownFields(records);
  if (unknown.length) throw new Error(`unknown fields: ${unknown.join(', ')}`);
}

test('kubectl kustomize renders every overlay and every Job', () => {
  for (const o of overlays) assert.ok(rendered[o].length > 15, `${o}: ${rendered[o].length} objects`);
  for (const j of jobs) assert.equal(byKind(renderedJobs[j], 'Job').length, 1, j);
});

test('every object validates against the Kubernetes (and Gateway API, KEDA) schemas', async () => {
  let count = 0;
  for (const objs of [...Object.values(rendered), ...Object.values(renderedJobs)]) {
    for (const obj of objs) {
      await assert.doesNotReject(validate(obj), `${obj.kind} ${obj.metadata?.name}`);
      count++;
    }
  }
  assert.ok(count > 80);
});

test('the validator refuses a broken object (so the check above means something)', async () => {
  const d = structuredClone(named(rendered.demo, 'Deployment', 'sharpbench-backend'));
  d.spec.replicas = 'two';
  await assert.rejects(validate(d), /replicas must be integer/);
  const h = structuredClone(named(rendered.demo, 'HTTPRoute', 'sharpbench'));
  h.spec.rules[0].backendRefs[0].port = 'http';
  await assert.rejects(validate(h));
  const typo = structuredClone(named(rendered.demo, 'Deployment', 'sharpbench-backend'));
  const container = typo.spec.template.spec.containers[0];
  container.livenesProbe = container.livenessProbe;
  await assert.rejects(validate(typo), /unknown fields: Deployment\.spec\.template\.spec\.containers\.0\.livenesProbe/);
  const top = structuredClone(named(rendered.demo, 'Service', 'sharpbench-backend') ?? byKind(rendered.demo, 'Service')[0]);
  top.spec.selectr = { app: 'x' };
  await assert.rejects(validate(top), /unknown fields: Service\.spec\.selectr/);
});

test('every role is a Deployment, and every role and Job runs the same image', () => {
  for (const o of overlays) {
    const images = new Set();
    for (const role of roles) {
      const d = named(rendered[o], 'Deployment', `sharpbench-${role}`);
      assert.ok(d, `${o}: no Deployment sharpbench-${role}`);
      for (const c of [...podSpec(d).containers, ...(podSpec(d).initContainers || [])]) images.add(c.image);
    }
    for (const j of jobs) for (const c of podSpec(byKind(renderedJobs[j], 'Job')[0]).containers) images.add(c.image);
    assert.equal(images.size, 1, `${o}: ${[...images].join(', ')}`);
  }
});

test('every role has probes: startup, liveness and (for servers) readiness; workers and scheduler run bench health', () => {
  for (const o of overlays) {
    for (const w of byKind(rendered[o], 'Deployment').concat(byKind(rendered[o], 'StatefulSet'))) {
      for (const c of podSpec(w).containers) {
        assert.ok(c.livenessProbe, `${o}: ${w.metadata.name} has no liveness probe`);
        assert.ok(c.readinessProbe || c.startupProbe, `${o}: ${w.metadata.name} has no readiness or startup probe`);
      }
    }
    for (const role of ['worker-short', 'worker-long', 'scheduler']) {
      const c = podSpec(named(rendered[o], 'Deployment', `sharpbench-${role}`)).containers[0];
      const what = role === 'scheduler' ? 'scheduler' : 'worker';
      assert.deepEqual(c.livenessProbe.exec.command.slice(-3), ['bench', 'health', what], role);
    }
    for (const role of ['backend', 'frontend', 'websocket']) {
      assert.ok(podSpec(named(rendered[o], 'Deployment', `sharpbench-${role}`)).containers[0].readinessProbe, role);
    }
  }
});

test('the scheduler runs two replicas and has no autoscaler', () => {
  for (const o of overlays) {
    assert.equal(named(rendered[o], 'Deployment', 'sharpbench-scheduler').spec.replicas, 2, o);
    for (const k of ['HorizontalPodAutoscaler', 'ScaledObject']) {
      assert.ok(!byKind(rendered[o], k).some((h) => h.spec.scaleTargetRef.name === 'sharpbench-scheduler'), `${o}: ${k} on the scheduler`);
    }
  }
});

test('autoscalers: backend and websocket on CPU, workers on queue length; each targets an apps/v1 Deployment with CPU requests', () => {
  for (const o of overlays) {
    const objs = rendered[o];
    for (const h of byKind(objs, 'HorizontalPodAutoscaler')) {
      // frappe/helm's HPAs named apiVersion apps/v2, which does not exist.
      assert.equal(h.spec.scaleTargetRef.apiVersion, 'apps/v1', h.metadata.name);
      const d = named(objs, 'Deployment', h.spec.scaleTargetRef.name);
      assert.ok(d, `${o}: ${h.metadata.name} targets a missing Deployment`);
      assert.ok(podSpec(d).containers[0].resources.requests.cpu, `${d.metadata.name} has no CPU request`);
    }
    const metricOf = (name) => named(objs, 'HorizontalPodAutoscaler', name)?.spec.metrics[0];
    for (const role of ['backend', 'websocket']) assert.equal(metricOf(`sharpbench-${role}`).resource.name, 'cpu', `${o} ${role}`);
    const workerScalers = o === 'keda' ? byKind(objs, 'ScaledObject') : ['worker-short', 'worker-long'].map((r) => named(objs, 'HorizontalPodAutoscaler', `sharpbench-${r}`));
    assert.equal(workerScalers.length, 2, o);
    for (const s of workerScalers) {
      const text = JSON.stringify(s.spec);
      assert.match(text, /sharpbench_queue_length/, `${o}: ${s.metadata.name}`);
    }
    if (o === 'keda') {
      // One autoscaler per Deployment: KEDA's own HPA would fight a second one.
      for (const so of byKind(objs, 'ScaledObject')) {
        assert.ok(!byKind(objs, 'HorizontalPodAutoscaler').some((h) => h.spec.scaleTargetRef.name === so.spec.scaleTargetRef.name), so.metadata.name);
      }
    }
  }
});

test('Jobs are re-runnable: each run gets a new name, and running one twice is safe', () => {
  for (const j of jobs) {
    const job = byKind(renderedJobs[j], 'Job')[0];
    assert.equal(podSpec(job).restartPolicy, 'Never', j);
    assert.ok(job.spec.ttlSecondsAfterFinished > 0, `${j}: finished runs are never cleaned up`);
    const printed = execFileSync(join(root, 'jobs/run-job.sh'), [j], { encoding: 'utf8', env: { ...process.env, RUN_JOB_PRINT: '1' } });
    const meta = parseAllDocuments(printed)[0].toJS().metadata;
    assert.equal(meta.generateName, `sharpbench-${j}-`, j);
    assert.equal(meta.name, undefined, `${j}: a fixed name cannot be created twice`);
  }
  const script = (name) => readFileSync(join(root, 'base/scripts', name), 'utf8');
  // An existing site (new-site) or a missing one (drop-site) is success, not a failed Job.
  assert.match(script('new-site.sh'), /site_config\.json" \]; then echo "new-site: \$SITE_NAME exists, nothing to do"; exit 0/);
  assert.match(script('drop-site.sh'), /! -f "sites\/\$SITE_NAME\/site_config\.json" \]; then echo .*exit 0/);
  // migrate leaves maintenance mode also when it fails.
  assert.match(script('migrate.sh'), /trap leave EXIT/);
});

test('no secret in plain text: ConfigMaps hold no password, env takes secrets from a Secret', () => {
  const secretish = /pass|secret|token|(^|_)key$/i;
  for (const o of overlays) {
    const secrets = byKind(rendered[o], 'Secret').flatMap((s) => Object.values(s.data || {}).map((v) => Buffer.from(v, 'base64').toString()));
    for (const cm of byKind(rendered[o], 'ConfigMap')) {
      for (const [k, v] of Object.entries(cm.data || {})) {
        if (cm.metadata.name !== 'sharpbench-scripts') assert.ok(!secretish.test(k), `${o}: ConfigMap ${cm.metadata.name} has key ${k}`);
        for (const s of secrets) assert.ok(!new RegExp(`[=:"' ]${s}["' \n]`).test(v), `${o}: ${cm.metadata.name}.${k} contains a Secret's value`);
      }
    }
    for (const w of [...workloads(rendered[o]), ...jobs.map((j) => byKind(renderedJobs[j], 'Job')[0])]) {
      for (const c of [...podSpec(w).containers, ...(podSpec(w).initContainers || [])]) {
        for (const e of c.env || []) {
          if (secretish.test(e.name)) assert.ok(e.valueFrom?.secretKeyRef, `${o}: ${w.metadata.name} env ${e.name} is not from a Secret`);
        }
        assert.ok(!JSON.stringify([c.args, c.command]).match(/password[= ]+[^$"]/i), `${w.metadata.name}: a password on the command line`);
      }
    }
  }
  // Production never carries a Secret: the operator creates it (docs/kubernetes.md).
  assert.equal(byKind(rendered.production, 'Secret').length, 0);
});

test('one ReadWriteMany sites volume, mounted by every role and Job', () => {
  for (const o of overlays) {
    const pvc = named(rendered[o], 'PersistentVolumeClaim', 'sharpbench-sites');
    assert.deepEqual(pvc.spec.accessModes, ['ReadWriteMany'], o);
    for (const role of roles) {
      const vols = podSpec(named(rendered[o], 'Deployment', `sharpbench-${role}`)).volumes;
      assert.ok(vols.some((v) => v.persistentVolumeClaim?.claimName === 'sharpbench-sites'), `${o}: ${role}`);
    }
  }
  for (const j of jobs) assert.ok(podSpec(byKind(renderedJobs[j], 'Job')[0]).volumes.some((v) => v.persistentVolumeClaim?.claimName === 'sharpbench-sites'), j);
});

test('Ingress and HTTPRoute reach the frontend Service; the frontend exposes no metrics port', () => {
  for (const o of overlays) {
    const svc = named(rendered[o], 'Service', 'sharpbench-frontend');
    const ing = named(rendered[o], 'Ingress', 'sharpbench');
    assert.equal(ing.spec.rules[0].http.paths[0].backend.service.name, svc.metadata.name);
    assert.ok(svc.spec.ports.some((p) => p.name === ing.spec.rules[0].http.paths[0].backend.service.port.name));
    const route = named(rendered[o], 'HTTPRoute', 'sharpbench');
    assert.equal(route.spec.rules[0].backendRefs[0].name, svc.metadata.name);
    assert.ok(svc.spec.ports.some((p) => p.port === route.spec.rules[0].backendRefs[0].port));
    const front = podSpec(named(rendered[o], 'Deployment', 'sharpbench-frontend')).containers[0];
    assert.ok(!front.ports.some((p) => p.name === 'metrics'));
    for (const role of roles.filter((r) => r !== 'frontend')) {
      const c = podSpec(named(rendered[o], 'Deployment', `sharpbench-${role}`)).containers[0];
      assert.ok(c.ports.some((p) => p.name === 'metrics' && p.containerPort === 9464), `${o}: ${role} has no metrics port`);
    }
  }
});

test('the demo overlays point the configurator at their in-cluster servers', () => {
  const cfg = (o) => named(rendered[o], 'ConfigMap', 'sharpbench-config').data;
  assert.equal(cfg('demo').DB_HOST, 'sharpbench-mariadb');
  assert.equal(cfg('demo-postgres').DB_HOST, 'sharpbench-postgres');
  assert.equal(cfg('demo-postgres').DB_TYPE, 'postgres');
  for (const o of ['demo', 'demo-postgres']) {
    for (const key of ['DB_HOST', 'REDIS_CACHE', 'REDIS_QUEUE']) {
      const host = cfg(o)[key].split(':')[0];
      assert.ok(named(rendered[o], 'Service', host), `${o}: ${key}=${cfg(o)[key]} names no Service`);
    }
  }
  assert.doesNotThrow(() => JSON.parse(cfg('production').COMMON_CONFIG));
});
