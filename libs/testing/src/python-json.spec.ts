import { pythonJsonDumps } from './python-json';

describe('pythonJsonDumps', () => {
  it("writes what Python's json.dumps writes with the default arguments", () => {
    // python3 -c 'import json; print(json.dumps({"Incident": {"Start": 1656588219, "Tasks": [{"Name": "Wipe"}], "Ok": True, "No": None, "Zone": "Küche ✓"}, "Empty": [], "Map": {}}))'
    expect(
      pythonJsonDumps({
        Incident: { Start: 1656588219, Tasks: [{ Name: 'Wipe' }], Ok: true, No: null, Zone: 'Küche ✓' },
        Empty: [],
        Map: {},
      }),
    ).toBe(
      '{"Incident": {"Start": 1656588219, "Tasks": [{"Name": "Wipe"}], "Ok": true, "No": null, "Zone": "K\\u00fcche \\u2713"}, "Empty": [], "Map": {}}',
    );
  });

  it('writes None as null, the body the SDK posts for an op without arguments', () => {
    expect(pythonJsonDumps(null)).toBe('null');
    expect(JSON.parse(pythonJsonDumps({ a: 'é"\n' }))).toEqual({ a: 'é"\n' });
  });
});
