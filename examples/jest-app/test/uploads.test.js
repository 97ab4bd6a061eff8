const { useLocalZure } = require('localzure/jest');
const { Uploads } = require('../src/uploads');

const env = useLocalZure();

describe('Uploads', () => {
  it('reads back what it saved', async () => {
    const uploads = Uploads.fromEnvironment();
    await uploads.save('notes.txt', 'remember the milk');
    expect(await uploads.read('notes.txt')).toBe('remember the milk');
  });

  it('starts every test from the seed', async () => {
    const uploads = Uploads.fromEnvironment();
    expect(await uploads.list()).toEqual(['readme.txt']);
    await uploads.save('scratch.txt', 'gone before the next test');
  });

  it('lists the seeded file next to new ones', async () => {
    const uploads = Uploads.fromEnvironment();
    await uploads.save('a.txt', 'a');
    expect(await uploads.list()).toEqual(['a.txt', 'readme.txt']);
  });

  it('announces each upload on the queue', async () => {
    const uploads = Uploads.fromEnvironment();
    await uploads.save('photo.txt', 'a photo');
    expect(await uploads.nextAnnouncement()).toEqual({ uploaded: 'photo.txt' });
    expect(await uploads.nextAnnouncement()).toBeUndefined();
  });

  it('removes an upload', async () => {
    const uploads = Uploads.fromEnvironment();
    await uploads.remove('readme.txt');
    expect(await uploads.list()).toEqual([]);
  });

  it("runs against this worker's own account", () => {
    expect(process.env.AZURE_STORAGE_CONNECTION_STRING).toBe(env.connectionString);
    expect(env.account.name).toMatch(/^devstoreaccount1w\d+$/);
  });
});
