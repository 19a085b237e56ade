// frappe-js-sdk 1.14.1, unmodified, against a live `bench serve` (its requests: node_modules/frappe-js-sdk/lib after npm install).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FrappeApp } from 'frappe-js-sdk';
import { startBench, withCookieJar, dbKind } from '../server.js';

let bench;
let admin; // a FrappeApp logged in with a cookie session
let keys; // { key, secret } of Administrator

// Runs an SDK call that must fail; returns the SDK's error object.
async function failure(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('expected the call to fail');
}

function serverMessages(err) {
  return JSON.parse(err._server_messages ?? '[]').map((m) => JSON.parse(m));
}

before(async () => {
  bench = await startBench();
  admin = withCookieJar(new FrappeApp(bench.url));
  await admin.auth().loginWithUsernamePassword({ username: 'Administrator', password: 'admin' });
});

after(async () => {
  await bench?.stop();
});

describe(`auth (${dbKind})`, () => {
  test('login returns Frappe\'s body and a session', async () => {
    const app = withCookieJar(new FrappeApp(bench.url));
    const body = await app.auth().loginWithUsernamePassword({ username: 'Administrator', password: 'admin' });
    assert.deepEqual(body, { message: 'Logged In', home_page: '/app', full_name: 'Administrator' });
    assert.match(app.cookies.get('sid'), /^[0-9a-f]{56}$/);
    assert.equal(app.cookies.get('system_user'), 'yes');
    assert.equal(await app.auth().getLoggedInUser(), 'Administrator');
  });

  test('wrong password surfaces 401 with the reason', async () => {
    const app = withCookieJar(new FrappeApp(bench.url));
    const err = await failure(app.auth().loginWithUsernamePassword({ username: 'Administrator', password: 'nope' }));
    assert.equal(err.httpStatus, 401);
    assert.equal(err.message, 'Invalid login credentials');
    assert.equal(err.exc_type, 'AuthenticationError');
    assert.equal(err.exception, 'frappe.exceptions.AuthenticationError');
    assert.equal(app.cookies.get('sid'), undefined);
  });

  test('Guest cannot getLoggedInUser (403)', async () => {
    const err = await failure(new FrappeApp(bench.url).auth().getLoggedInUser());
    assert.equal(err.httpStatus, 403);
    assert.equal(err.exc_type, 'PermissionError');
    assert.match(err.exception, /^frappe\.exceptions\.PermissionError: <details>/);
  });

  test('logout ends the session', async () => {
    const app = withCookieJar(new FrappeApp(bench.url));
    await app.auth().loginWithUsernamePassword({ username: 'Administrator', password: 'admin' });
    const sid = app.cookies.get('sid');
    await app.auth().logout();
    assert.equal(app.cookies.get('sid'), undefined);
    const stale = new FrappeApp(bench.url, undefined, undefined, { Cookie: `sid=${sid}` });
    const err = await failure(stale.auth().getLoggedInUser());
    assert.equal(err.httpStatus, 403);
    assert.equal(err.session_expired, 1);
  });

  test('token auth with generated API keys', async () => {
    const res = await admin.call().post('frappe.core.doctype.user.user.generate_keys', { user: 'Administrator' });
    const secret = res.message.api_secret;
    assert.match(secret, /^[a-z0-9]{15}$/);
    const user = await admin.db().getValue('User', ['api_key'], { name: 'Administrator' });
    keys = { key: user.message.api_key, secret };
    const app = new FrappeApp(bench.url, { useToken: true, token: () => `${keys.key}:${keys.secret}`, type: 'token' });
    assert.equal(await app.auth().getLoggedInUser(), 'Administrator');
    const bad = new FrappeApp(bench.url, { useToken: true, token: () => `${keys.key}:wrong`, type: 'token' });
    const err = await failure(bad.auth().getLoggedInUser());
    assert.equal(err.httpStatus, 401);
    assert.equal(err.exc_type, 'AuthenticationError');
  });
});

describe(`documents (${dbKind})`, () => {
  let todo;

  test('createDoc, getDoc, updateDoc, deleteDoc', async () => {
    const db = admin.db();
    todo = await db.createDoc('ToDo', { description: 'Call back', priority: 'High' });
    assert.match(todo.name, /^[0-9a-v]{10}$/);
    assert.equal(todo.doctype, 'ToDo');
    assert.equal(todo.status, 'Open');
    assert.equal(todo.owner, 'Administrator');
    assert.match(todo.modified, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$/);
    assert.equal('allocated_to' in todo, false, 'null fields are omitted from resource reads');

    const read = await db.getDoc('ToDo', todo.name);
    assert.equal(read.description, 'Call back');
    const updated = await db.updateDoc('ToDo', todo.name, { status: 'Closed' });
    assert.equal(updated.status, 'Closed');
    assert.equal(updated.priority, 'High');

    const gone = await db.createDoc('ToDo', { description: 'to delete' });
    assert.deepEqual(await db.deleteDoc('ToDo', gone.name), { data: 'ok' });
    const err = await failure(db.getDoc('ToDo', gone.name));
    assert.equal(err.httpStatus, 404);
    assert.equal(err.exc_type, 'DoesNotExistError');
  });

  test('getDocList with fields, filters, orFilters, orderBy, limit, limit_start, asDict', async () => {
    const db = admin.db();
    for (const [i, p] of ['Low', 'Medium', 'High', 'Low', 'Medium'].entries()) {
      await db.createDoc('ToDo', { description: `list ${i}`, priority: p, status: i % 2 ? 'Closed' : 'Open' });
    }
    const open = await db.getDocList('ToDo', {
      fields: ['name', 'description', 'priority'],
      filters: [['description', 'like', 'list %'], ['status', '=', 'Open']],
      orderBy: { field: 'description', order: 'asc' },
    });
    assert.deepEqual(open.map((r) => r.description), ['list 0', 'list 2', 'list 4']);
    assert.deepEqual(Object.keys(open[0]), ['name', 'description', 'priority']);

    const either = await db.getDocList('ToDo', {
      fields: ['description'],
      filters: [['description', 'like', 'list %']],
      orFilters: [['priority', '=', 'High'], ['priority', '=', 'Medium']],
      orderBy: { field: 'description', order: 'desc' },
    });
    assert.deepEqual(either.map((r) => r.description), ['list 4', 'list 2', 'list 1']);

    const page = await db.getDocList('ToDo', {
      fields: ['description'], filters: [['description', 'like', 'list %']],
      orderBy: { field: 'description', order: 'asc' }, limit: 2, limit_start: 1,
    });
    assert.deepEqual(page.map((r) => r.description), ['list 1', 'list 2']);

    const arrays = await db.getDocList('ToDo', {
      fields: ['description', 'priority'], filters: { description: 'list 3' }, asDict: false,
    });
    assert.deepEqual(arrays, [['list 3', 'Low']]);

    const defaults = await db.getDocList('ToDo');
    assert.ok(defaults.length >= 5 && defaults.every((r) => Object.keys(r).join() === 'name'));
  });

  test('getCount, getValue, getSingleValue, setValue', async () => {
    const db = admin.db();
    assert.equal(await db.getCount('ToDo', [['description', 'like', 'list %'], ['status', '=', 'Open']]), 3);
    const count = await db.getCount('ToDo');
    assert.ok(count >= 6);

    const value = await db.getValue('ToDo', ['description', 'priority'], [['description', '=', 'list 2']]);
    assert.deepEqual(value, { message: { description: 'list 2', priority: 'High' } });
    // asDict=false arrives as the string "false": Frappe then returns the first row as an array.
    const asList = await db.getValue('ToDo', ['description'], [['description', '=', 'list 2']], false);
    assert.deepEqual(asList, { message: ['list 2'] });
    const none = await db.getValue('ToDo', ['description'], [['description', '=', 'no such']]);
    assert.deepEqual(none, { message: {} });

    const single = await db.getSingleValue('System Settings', 'session_expiry');
    assert.ok('message' in single);

    const set = await db.setValue('ToDo', todo.name, 'description', 'Set by setValue');
    assert.equal(set.message.description, 'Set by setValue');
    assert.equal(set.message.allocated_to, null, 'frappe.client results include nulls');
    const many = await db.setValue('ToDo', todo.name, { priority: 'Low', status: 'Open' });
    assert.equal(many.message.priority, 'Low');
    assert.equal((await db.getDoc('ToDo', todo.name)).status, 'Open');
  });

  test('custom DocType: renameDoc, submit, cancel', async () => {
    const db = admin.db();
    await db.createDoc('DocType', {
      name: 'Conformance Book', module: 'Custom', custom: 1, autoname: 'field:title', allow_rename: 1, is_submittable: 1,
      fields: [{ fieldname: 'title', label: 'Title', fieldtype: 'Data', reqd: 1 }, { fieldname: 'pages', label: 'Pages', fieldtype: 'Int' }],
      permissions: [{ role: 'System Manager', read: 1, write: 1, create: 1, delete: 1, submit: 1, cancel: 1 }],
    });
    const book = await db.createDoc('Conformance Book', { title: 'First/Draft', pages: '12' });
    assert.equal(book.name, 'First/Draft');
    assert.equal(book.pages, 12);
    assert.equal((await db.getDoc('Conformance Book', 'First/Draft')).title, 'First/Draft');

    const renamed = await db.renameDoc('Conformance Book', 'First/Draft', 'Second');
    assert.deepEqual(renamed, { message: 'Second' });
    const err = await failure(db.getDoc('Conformance Book', 'First/Draft'));
    assert.equal(err.httpStatus, 404);

    const current = await db.getDoc('Conformance Book', 'Second');
    const submitted = await db.submit(current);
    assert.equal(submitted.docstatus, 1);
    const cancelled = await db.cancel('Conformance Book', 'Second');
    assert.equal(cancelled.message.docstatus, 2);
  });

  test('errors the SDK surfaces', async () => {
    const db = admin.db();
    let err = await failure(db.createDoc('ToDo', { priority: 'Low' }));
    assert.equal(err.httpStatus, 417);
    assert.equal(err.exc_type, 'MandatoryError');

    err = await failure(db.createDoc('ToDo', { description: 'x', allocated_to: 'nobody@example.com' }));
    assert.equal(err.httpStatus, 417);
    assert.equal(err.exc_type, 'LinkValidationError');

    err = await failure(db.createDoc('ToDo', { description: 'x', status: 'Bogus' }));
    assert.equal(err.httpStatus, 417);
    assert.equal(err.exc_type, 'ValidationError');

    await db.createDoc('Role', { role_name: 'Conformance Role' });
    err = await failure(db.createDoc('Role', { role_name: 'Conformance Role' }));
    assert.equal(err.httpStatus, 409);
    assert.equal(err.exc_type, 'DuplicateEntryError');

    const doc = await db.createDoc('ToDo', { description: 'locked' });
    err = await failure(db.updateDoc('ToDo', doc.name, { description: 'stale', modified: '2001-01-01 00:00:00' }));
    assert.equal(err.httpStatus, 417);
    assert.equal(err.exc_type, 'TimestampMismatchError');
    assert.equal((await db.getDoc('ToDo', doc.name)).description, 'locked');

    err = await failure(db.getDoc('No Such DocType', 'x'));
    assert.equal(err.httpStatus, 404);
    err = await failure(db.getDocList('ToDo', { fields: ['name', 'password from tabUser'] }));
    assert.equal(err.httpStatus, 417);
    assert.equal(err.exc_type, 'DataError');
  });
});

describe(`call (${dbKind})`, () => {
  test('call.get / post / put / delete', async () => {
    const call = admin.call();
    assert.deepEqual(await call.get('ping'), { message: 'pong' });
    const tz = await call.get('frappe.client.get_time_zone');
    assert.equal(typeof tz.message.time_zone, 'string');

    const inserted = await call.post('frappe.client.insert', { doc: { doctype: 'ToDo', description: 'via call' } });
    assert.equal(inserted.message.description, 'via call');
    const doc = inserted.message;
    doc.description = 'saved via call.put';
    const saved = await call.put('frappe.client.save', { doc });
    assert.equal(saved.message.description, 'saved via call.put');
    const list = await call.get('frappe.client.get_list', { doctype: 'ToDo', fields: ['name'], filters: { name: doc.name } });
    assert.deepEqual(list.message, [{ name: doc.name }]);
    assert.deepEqual(await call.delete('frappe.client.delete', { doctype: 'ToDo', name: doc.name }), {});
    const err = await failure(admin.db().getDoc('ToDo', doc.name));
    assert.equal(err.httpStatus, 404);
  });

  test('unknown and non-whitelisted methods', async () => {
    let err = await failure(admin.call().get('frappe.no.such_method'));
    assert.equal(err.httpStatus, 417);
    assert.equal(err.exc_type, 'ValidationError');
    err = await failure(new FrappeApp(bench.url).call().post('frappe.client.insert', { doc: { doctype: 'ToDo', description: 'guest' } }));
    assert.equal(err.httpStatus, 403);
    assert.equal(err.exc_type, 'PermissionError');
  });
});

describe(`file (${dbKind})`, () => {
  test('file.uploadFile streams a file with progress, and it is served back byte-identical', async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 31 + 7) & 0xff;
    const todo = await admin.db().createDoc('ToDo', { description: 'has an attachment' });
    const progress = [];
    const res = await admin.file().uploadFile(new File([bytes], 'sdk upload.bin'),
      { isPrivate: false, doctype: 'ToDo', docname: todo.name, fieldname: 'description' },
      (loaded, total) => progress.push([loaded, total]));
    const file = res.data.message;
    assert.equal(file.doctype, 'File');
    assert.equal(file.file_url, '/files/sdk upload.bin');
    assert.equal(file.file_size, bytes.length);
    assert.equal(file.is_private, 0);
    assert.equal(file.attached_to_doctype, 'ToDo');
    assert.equal(file.attached_to_name, todo.name);
    assert.ok(progress.length > 0, 'the progress callback ran');
    assert.equal(progress.at(-1)[0], progress.at(-1)[1]);

    const served = await fetch(`${bench.url}/files/sdk%20upload.bin`);
    assert.equal(served.status, 200);
    assert.deepEqual(new Uint8Array(await served.arrayBuffer()), bytes);
  });

  test('a private upload is served to its owner only', async () => {
    const res = await admin.file().uploadFile(new File(['private words'], 'private.txt'), { isPrivate: true });
    const file = res.data.message;
    assert.equal(file.file_url, '/private/files/private.txt');
    assert.equal(file.is_private, 1);
    const anonymous = await fetch(`${bench.url}/private/files/private.txt`);
    assert.equal(anonymous.status, 403);
    const mine = await admin.axios.get('/private/files/private.txt', { responseType: 'text' });
    assert.equal(mine.data, 'private words');
  });

  test('a Guest upload is refused with PermissionError', async () => {
    const err = await failure(new FrappeApp(bench.url).file().uploadFile(new File(['x'], 'guest.txt'), {}));
    assert.equal(err.httpStatus, 403);
    assert.equal(err.exc_type, 'PermissionError');
  });
});
