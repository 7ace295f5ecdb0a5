using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Conformance.Engine.Drivers;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Reqnroll;

namespace Conformance.Engine.StepDefinitions;

/// <summary>
/// STEPS.md §10: the hostile-input catalogue (features/Robustness, features/Security; spec RB-010…, SE-…, HT-…): frames a
/// WebSocket library would never send, generated oversized input, floods, forged tokens, hand-written HTTP upgrades,
/// and the one check every case ends with (the server still serves a new client, the neighbours are unaffected).
/// </summary>
[Binding]
public sealed class RobustnessSteps(ScenarioWorld world)
{
    private const string DefaultPath = "/socketcluster/";
    private const int MaxFlood = 100_000;
    private readonly Dictionary<string, List<long>> _floodCids = new(StringComparer.Ordinal);
    private readonly List<RawConnection> _silent = [];
    private int? _httpStatus;
    private int _probes;

    // ---- opening over raw TCP ----

    [StepDefinition("raw connection {word} is open over TCP")]
    public async Task OpenOverTcp(string name)
    {
        if (world.HasActor(name)) throw new InvalidOperationException($"Actor {name} already exists in this scenario.");
        var actor = new RawActor(name);
        world.Add(actor);
        var target = await world.TargetAsync();
        actor.Connection = await RawConnection.OpenOverTcpAsync(name, target.At(DefaultPath), world.ProtocolVersion, world.Transcript,
            world.DefaultWait, world.Cancellation);
    }

    // ---- frames built by hand ----

    /// <summary>
    /// Phrase 80: one frame described as "KIND [nofin] [unmasked] [rsv=N] PAYLOAD": KIND is text, binary, continuation,
    /// close, ping, pong or op=N; PAYLOAD is text:REST (UTF-8, $cid allowed), hex:BYTES or bytes:N (N × 'a').
    /// </summary>
    [StepDefinition("{word} sends the wire frame {string}")]
    public Task SendsWireFrame(string name, string spec)
    {
        var connection = world.Raw(name, "sends the wire frame").Open;
        return connection.SendWireFrameAsync(ParseFrame(connection, spec));
    }

    /// <summary>Phrase 81: a text message split into N frames (a first text frame, then continuations, the last with FIN).</summary>
    [StepDefinition("{word} sends {string} in {int} fragments")]
    public async Task SendsFragmented(string name, string text, int fragments)
    {
        var connection = world.Raw(name, "sends ... in fragments").Open;
        var bytes = Encoding.UTF8.GetBytes(OutboundFrames.Prepare(world, connection, text, "request"));
        if (fragments < 2 || fragments > bytes.Length) throw new ArgumentException($"Between 2 and {bytes.Length} fragments, got {fragments}.");
        var size = (bytes.Length + fragments - 1) / fragments;
        for (var i = 0; i < fragments; i++)
        {
            var part = bytes.Skip(i * size).Take(size).ToArray();
            await connection.SendWireFrameAsync(new RawWireFrame(i == 0 ? 1 : 0, i == fragments - 1, part));
        }
    }

    /// <summary>Phrase 82: a frame with $big replaced by a string repeated N times (long strings, huge names, huge numbers).</summary>
    [StepDefinition("{word} sends {string} where $big is {string} repeated {int} times")]
    public Task SendsBig(string name, string text, string unit, int times)
    {
        if (!text.Contains("$big", StringComparison.Ordinal)) throw new ArgumentException($"The frame has no $big: {text}");
        if (times is < 1 or > 64 * 1024 * 1024) throw new ArgumentException($"Between 1 and 64 Mi repetitions, got {times}.");
        var connection = world.Raw(name, "sends ... where $big is").Open;
        var prepared = OutboundFrames.Prepare(world, connection, text, "request");
        return connection.SendTextAsync(prepared.Replace("$big", new StringBuilder(unit.Length * times).Insert(0, unit, times).ToString(), StringComparison.Ordinal));
    }

    /// <summary>Phrase 83: $open and $close replaced by OPEN and CLOSE repeated N times (JSON nested N levels deep).</summary>
    [StepDefinition("{word} sends {string} nesting {string} and {string} {int} levels deep")]
    public Task SendsNested(string name, string text, string open, string close, int depth)
    {
        if (depth is < 1 or > 10_000_000) throw new ArgumentException($"Between 1 and 10 million levels, got {depth}.");
        var connection = world.Raw(name, "sends ... nesting").Open;
        var prepared = OutboundFrames.Prepare(world, connection, text, "request");
        return connection.SendTextAsync(prepared
            .Replace("$open", new StringBuilder(open.Length * depth).Insert(0, open, depth).ToString(), StringComparison.Ordinal)
            .Replace("$close", new StringBuilder(close.Length * depth).Insert(0, close, depth).ToString(), StringComparison.Ordinal));
    }

    /// <summary>Phrase 84: a transmit one byte over the maxPayload that conformance.hello reports (RB-011).</summary>
    [StepDefinition("{word} sends a message one byte over the reported maxPayload")]
    public async Task SendsOverMaxPayload(string name)
    {
        var connection = world.Raw(name, "sends a message one byte over the reported maxPayload").Open;
        var limit = (await world.TargetFixtureAsync()).LimitNumber("maxPayload")
            ?? throw new InvalidOperationException("conformance.hello reports no maxPayload: tag the scenario @capability-maxPayload.");
        const string head = "{\"event\":\"rb.oversized\",\"data\":\"";
        const string tail = "\"}";
        var filler = limit + 1 - head.Length - tail.Length;
        await connection.SendTextAsync(head + new string('a', checked((int)filler)) + tail);
    }

    /// <summary>Phrase 85: the response to the last request carries a string of exactly N characters.</summary>
    [StepDefinition("the response of {word} carries a string of {int} characters")]
    public async Task ResponseCarriesString(string name, int length)
    {
        var connection = world.Raw(name, "the response of ... carries a string").Open;
        var cid = connection.LastRequestCid ?? throw new InvalidOperationException($"{name} has sent no request.");
        var response = await RawExpectations.ResponseAsync(connection, cid, world, requireSuccess: true);
        if (!response.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String || data.GetString()!.Length != length)
            throw new ConformanceAssertionException(
                $"The response of {name} does not carry a string of {length} characters: data is {Describe(response)}.");
    }

    /// <summary>
    /// Phrase 94: the outcome of the last request: "ok" (a success response), "error" or "error NAME" (an error
    /// response, with that name), or "ignored" (no response within 500 ms).
    /// </summary>
    [StepDefinition("the request of {word} gets the outcome {string}")]
    public async Task RequestOutcome(string name, string outcome)
    {
        var connection = world.Raw(name, "the request of ... gets the outcome").Open;
        var cid = connection.LastRequestCid ?? throw new InvalidOperationException($"{name} has sent no request.");
        if (outcome == "error or ignored")
        {
            await Task.Delay(500, world.Cancellation);
            if (connection.Inbound.Snapshot(0).FirstOrDefault(f => RawExpectations.IsResponseTo(f, cid)) is { Json: { } r } && !RawExpectations.HasError(r))
                throw new ConformanceAssertionException($"The request of {name} succeeded ({r.GetRawText()}); expected an error response or none.");
            return;
        }
        if (outcome == "ignored")
        {
            await Task.Delay(500, world.Cancellation);
            if (connection.Inbound.Snapshot(0).FirstOrDefault(f => RawExpectations.IsResponseTo(f, cid)) is { } answered)
                throw new ConformanceAssertionException($"The request of {name} was answered ({answered.Text}); expected no response.");
            return;
        }
        var response = await RawExpectations.ResponseAsync(connection, cid, world);
        var failed = RawExpectations.HasError(response);
        var ok = outcome switch
        {
            "ok" => !failed,
            "error" => failed,
            _ when outcome.StartsWith("error ", StringComparison.Ordinal) => failed && ErrorName(response) == outcome["error ".Length..],
            // A refusal in a data response (AU-004: #authenticate with a token not valid yet).
            _ when outcome.StartsWith("authError ", StringComparison.Ordinal) => !failed && response.TryGetProperty("data", out var d)
                && d.ValueKind == JsonValueKind.Object && d.TryGetProperty("authError", out var authError) && ErrorName(authError, direct: true) == outcome["authError ".Length..],
            _ => throw new ArgumentException($"Unknown outcome '{outcome}': use ok, error, error NAME, authError NAME, ignored or error or ignored."),
        };
        if (!ok)
            throw new ConformanceAssertionException($"The request of {name} was answered with {Describe(response)}; expected the outcome \"{outcome}\".")
            { Expected = outcome, Actual = [Describe(response)] };
    }

    // ---- floods ----

    /// <summary>Phrase 86: N frames from a template; $i is the frame's index (0…N-1), $cid a fresh cid per frame.</summary>
    [StepDefinition("{word} sends {int} frames like {string}")]
    public async Task SendsMany(string name, int count, string template)
    {
        if (count is < 1 or > MaxFlood) throw new ArgumentException($"Between 1 and {MaxFlood} frames, got {count}.");
        var connection = world.Raw(name, "sends ... frames like").Open;
        var cids = _floodCids[name] = [];
        var text = world.Substitute(template);
        for (var i = 0; i < count; i++)
        {
            var frame = Placeholders.SubstituteCid(text.Replace("$i", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), () =>
            {
                var cid = connection.NextCid("flood");
                cids.Add(cid);
                return cid;
            });
            if (connection.Close is not null) break;
            await connection.SendTextAsync(frame);
        }
        world.Transcript.Note(name, $"sent {count} frames like {template}");
    }

    /// <summary>
    /// Phrase 87 (RB-031): every request of the last flood is answered; with a socketChannelLimit L reported by
    /// conformance.hello exactly min(N, L) succeed and the rest fail with InvalidActionError, else all succeed.
    /// </summary>
    [StepDefinition("every subscribe of {word}'s flood is answered within the channel limit")]
    public async Task FloodAnsweredWithinLimit(string name)
    {
        var connection = world.Raw(name, "every subscribe of ...'s flood is answered").Open;
        var cids = _floodCids.GetValueOrDefault(name) ?? throw new InvalidOperationException($"{name} sent no flood with $cid.");
        var limit = (await world.TargetFixtureAsync()).LimitNumber("socketChannelLimit");
        var wait = world.DefaultWait * 3;
        var deadline = DateTime.UtcNow + wait;
        var responses = new Dictionary<long, JsonElement>();
        var pending = new HashSet<long>(cids);
        var from = 0;
        while (pending.Count > 0)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) break;
            var hit = await connection.Inbound.WaitForAsync(from, f => f.Json is { ValueKind: JsonValueKind.Object } j
                && j.TryGetProperty("rid", out var rid) && rid.ValueKind == JsonValueKind.Number && rid.TryGetInt64(out var r) && pending.Contains(r),
                remaining, world.Cancellation);
            if (hit is null) break;
            from = hit.Value.Index + 1;
            var json = hit.Value.Item.Json!.Value;
            var r = json.GetProperty("rid").GetInt64();
            pending.Remove(r);
            responses[r] = json;
        }
        if (pending.Count > 0)
            throw new ConformanceAssertionException(
                $"{pending.Count} of {cids.Count} subscribes of {name} got no response within {wait.TotalSeconds:0} s{RawExpectations.Ending(connection)}.");
        var ok = responses.Values.Count(r => !RawExpectations.HasError(r));
        var refused = responses.Values.Where(RawExpectations.HasError).ToList();
        var expected = limit is { } l ? (int)Math.Min(cids.Count, l) : cids.Count;
        world.Transcript.Note(name, $"{ok} subscribes succeeded, {refused.Count} failed (socketChannelLimit {limit?.ToString(CultureInfo.InvariantCulture) ?? "none"})");
        if (ok != expected)
            throw new ConformanceAssertionException(
                $"{ok} of {cids.Count} subscribes of {name} succeeded; expected {expected} (socketChannelLimit {limit?.ToString(CultureInfo.InvariantCulture) ?? "not reported: no limit"}).");
        // The official server wraps the InvalidActionError of the limit in a BrokerError ("Failed to subscribe socket to
        // the C channel - InvalidActionError: Socket S tried to exceed the channel subscription limit of L").
        var wrong = refused.Where(r => !(ErrorName(r) is "InvalidActionError" || ErrorName(r) == "BrokerError" && ErrorMessage(r).Contains("InvalidActionError", StringComparison.Ordinal))).Take(1).ToList();
        if (wrong.Count > 0)
            throw new ConformanceAssertionException($"A subscribe beyond the channel limit failed with {wrong[0].GetRawText()}; expected InvalidActionError (or a BrokerError wrapping it).");
    }

    /// <summary>Phrase 88 (HS-007, RB-033): N connections that never send #handshake.</summary>
    [StepDefinition("{int} raw connections open and never send a handshake")]
    public async Task SilentCrowd(int count)
    {
        if (count is < 1 or > 5000) throw new ArgumentException($"Between 1 and 5000 connections, got {count}.");
        var target = await world.TargetAsync();
        await world.TargetFixtureAsync(); // the handshake timeout comes from hello
        var opened = await Task.WhenAll(Enumerable.Range(1, count).Select(i =>
            RawConnection.OpenAsync($"silent{i}", target.WebSocketUrl, world.ProtocolVersion, world.Transcript, world.DefaultWait, world.Cancellation)));
        foreach (var connection in opened)
        {
            _silent.Add(connection);
            world.Add(new RawActor(connection.Name) { Connection = connection });
        }
    }

    /// <summary>Phrase 89: every silent connection is closed with the code within the handshake timeout (bounds of "within").</summary>
    [StepDefinition("each of them is closed with code {int} within the handshake timeout")]
    public async Task EachClosed(int code)
    {
        var wait = world.Within(await world.NamedTimeoutAsync("handshake", null));
        var deadline = DateTime.UtcNow + wait;
        var failures = new List<string>();
        foreach (var connection in _silent)
        {
            var remaining = deadline - DateTime.UtcNow;
            await connection.Inbound.WaitForAsync(int.MaxValue, _ => false, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, world.Cancellation);
            if (connection.Close is not { } close) failures.Add($"{connection.Name}: still open after {wait.TotalSeconds:0.#} s");
            else if (close.Code != code) failures.Add($"{connection.Name}: closed with {close.Code} '{close.Reason}'");
        }
        if (failures.Count > 0)
            throw new ConformanceAssertionException($"{failures.Count} of {_silent.Count} connections were not closed with {code}:\n  " +
                string.Join("\n  ", failures.Take(20)));
    }

    // ---- forged tokens ----

    /// <summary>
    /// Phrase 90 (SE-001…): a token the server never signed: "alg none", "another key" (HS256 with a random key),
    /// "alg RS256" (an RS256 header over an HMAC signature: the HS/RS confusion) or "alg HS512" (another key again).
    /// </summary>
    [StepDefinition("token {word} is forged with {string} for {string}")]
    public void TokenForged(string name, string method, string payloadText)
    {
        var payload = OutboundFrames.Json(world, payloadText, $"the payload of token {name}");
        var key = RandomNumberGenerator.GetBytes(32);
        world.DeclaredTokens.Remove(name);
        world.Tokens[name] = method switch
        {
            "alg none" => Jwt("{\"alg\":\"none\",\"typ\":\"JWT\"}", payload, null),
            "another key" => Jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payload, data => HMACSHA256.HashData(key, data)),
            "alg RS256" => Jwt("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", payload, data => HMACSHA256.HashData(key, data)),
            "alg HS512" => Jwt("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", payload, data => HMACSHA512.HashData(key, data)),
            _ => throw new ArgumentException($"Unknown forgery '{method}': use alg none, another key, alg RS256 or alg HS512."),
        };
    }

    /// <summary>Phrase 91: a well-formed JWT (HS256, random key) whose payload carries a string of N characters.</summary>
    [StepDefinition("token {word} is forged with a payload of {int} characters")]
    public void TokenHuge(string name, int size)
    {
        if (size is < 1 or > 64 * 1024 * 1024) throw new ArgumentException($"Between 1 and 64 Mi characters, got {size}.");
        var key = RandomNumberGenerator.GetBytes(32);
        world.DeclaredTokens.Remove(name);
        world.Tokens[name] = Jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", $"{{\"username\":\"{new string('x', size)}\"}}", data => HMACSHA256.HashData(key, data));
    }

    private static string Jwt(string header, string payload, Func<byte[], byte[]>? sign)
    {
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header)) + "." + Base64Url(Encoding.UTF8.GetBytes(payload));
        return signingInput + "." + (sign is null ? "" : Base64Url(sign(Encoding.ASCII.GetBytes(signingInput))));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // ---- HTTP upgrades written by hand ----

    /// <summary>
    /// Phrase 92 (HT-…): an upgrade request to PATH with header changes "Name: value; Other: -" ("-" removes a standard
    /// header); the status is kept for the next step and a 101 connection is closed at once.
    /// </summary>
    [StepDefinition("an upgrade request to {string} with headers {string} is sent")]
    public async Task UpgradeRequest(string path, string headers)
    {
        var target = await world.TargetAsync();
        var changes = headers.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(h =>
        {
            var colon = h.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw new ArgumentException($"A header change is 'Name: value' or 'Name: -', got '{h}'.");
            var value = h[(colon + 1)..].Trim();
            return new KeyValuePair<string, string?>(h[..colon].Trim(), value == "-" ? null : value);
        }).ToList();
        var requestTarget = world.Substitute(path);
        world.Transcript.Note("http", $"GET {requestTarget} with {(changes.Count == 0 ? "the standard headers" : headers)}");
        var (status, wire) = await RawWire.UpgradeAsync(target.WebSocketUrl, changes, world.DefaultWait, world.Cancellation, requestTarget);
        world.Transcript.Note("http", $"answered with HTTP {status}");
        wire?.Dispose();
        _httpStatus = status;
    }

    [StepDefinition("it is answered with HTTP status {int}")]
    public void AnsweredWith(int status)
    {
        var actual = _httpStatus ?? throw new InvalidOperationException("No upgrade request was sent in this scenario.");
        if (actual != status)
            throw new ConformanceAssertionException($"The upgrade request was answered with HTTP {Shown(actual)}; expected HTTP {status}.");
    }

    /// <summary>Not upgraded: any answer but 101, or the connection closed without one.</summary>
    [StepDefinition("it is not upgraded")]
    public void NotUpgraded()
    {
        var actual = _httpStatus ?? throw new InvalidOperationException("No upgrade request was sent in this scenario.");
        if (actual == 101) throw new ConformanceAssertionException("The upgrade request was answered with 101 Switching Protocols; expected a refusal.");
    }

    private static string Shown(int status) => status == 0 ? "nothing (the connection closed without an answer)" : status.ToString(CultureInfo.InvariantCulture);

    // ---- the check every case ends with ----

    /// <summary>
    /// Phrase 93 (RB-010): a new client completes the handshake and is served, and every named neighbour is still
    /// open and served. "Served" is an echo through conformance.echo when the fixture app is there, else an answer to a
    /// request every server answers (#authenticate with a malformed token gets an error response, RB-002).
    /// </summary>
    [StepDefinition("the server still serves a new client")]
    public Task StillServes() => StillServesAnd([]);

    [StepDefinition("the server still serves a new client and {word} is unaffected")]
    public Task StillServesAnd(string neighbour) => StillServesAnd([neighbour]);

    private async Task StillServesAnd(IReadOnlyList<string> neighbours)
    {
        var target = await world.TargetAsync();
        var name = $"fresh{++_probes}";
        var fresh = await RawConnection.OpenAsync(name, target.WebSocketUrl, world.ProtocolVersion, world.Transcript, world.DefaultWait, world.Cancellation);
        world.Add(new RawActor(name) { Connection = fresh });
        var handshakeCid = fresh.NextCid("handshake");
        await fresh.SendTextAsync($$"""{"event":"#handshake","data":{"authToken":null},"cid":{{handshakeCid}}}""");
        var response = await RawExpectations.ResponseAsync(fresh, handshakeCid, world);
        if (RawExpectations.HasError(response))
            throw new ConformanceAssertionException($"A new client's handshake was rejected after the attack: {response.GetRawText()}");
        await ProbeAsync(fresh);
        foreach (var n in neighbours)
        {
            var connection = world.Raw(n, "is unaffected").Open;
            if (connection.Close is { } close)
                throw new ConformanceAssertionException($"The neighbour {n} was closed by the attack: code {close.Code}, reason '{close.Reason}'.");
            await ProbeAsync(connection);
        }
    }

    private async Task ProbeAsync(RawConnection connection)
    {
        var withFixture = await HasFixtureAsync();
        var cid = connection.NextCid("probe");
        var token = $"probe-{cid}-{RandomNumberGenerator.GetHexString(6)}";
        await connection.SendTextAsync(withFixture
            ? $$"""{"event":"conformance.echo","data":"{{token}}","cid":{{cid}}}"""
            : $$"""{"event":"#authenticate","data":"{{token}}","cid":{{cid}}}""");
        var response = await RawExpectations.ResponseAsync(connection, cid, world);
        if (withFixture && (RawExpectations.HasError(response) || !response.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String || data.GetString() != token))
            throw new ConformanceAssertionException($"{connection.Name} is not served: conformance.echo of \"{token}\" answered {response.GetRawText()}.");
    }

    private async Task<bool> HasFixtureAsync()
    {
        try
        {
            await world.TargetFixtureAsync();
            return true;
        }
        catch (ScenarioSkippedException)
        {
            return false;
        }
    }

    // ---- helpers ----

    private RawWireFrame ParseFrame(RawConnection connection, string spec)
    {
        var rest = spec.Trim();
        int? opcode = null;
        var fin = true;
        var masked = true;
        var rsv = 0;
        byte[]? payload = null;
        while (rest.Length > 0 && payload is null)
        {
            var space = rest.IndexOf(' ', StringComparison.Ordinal);
            var word = space < 0 ? rest : rest[..space];
            if (word.StartsWith("text:", StringComparison.Ordinal))
            {
                payload = Encoding.UTF8.GetBytes(OutboundFrames.Prepare(world, connection, rest["text:".Length..], "request"));
                break;
            }
            rest = space < 0 ? "" : rest[(space + 1)..].TrimStart();
            switch (word)
            {
                case "text": opcode = 1; break;
                case "binary": opcode = 2; break;
                case "continuation": opcode = 0; break;
                case "close": opcode = 8; break;
                case "ping": opcode = 9; break;
                case "pong": opcode = 10; break;
                case "nofin": fin = false; break;
                case "unmasked": masked = false; break;
                default:
                    if (word.StartsWith("op=", StringComparison.Ordinal)) opcode = int.Parse(word[3..], CultureInfo.InvariantCulture);
                    else if (word.StartsWith("rsv=", StringComparison.Ordinal)) rsv = int.Parse(word[4..], CultureInfo.InvariantCulture);
                    else if (word.StartsWith("hex:", StringComparison.Ordinal)) payload = Convert.FromHexString(word[4..]);
                    else if (word.StartsWith("bytes:", StringComparison.Ordinal)) payload = Enumerable.Repeat((byte)'a', int.Parse(word[6..], CultureInfo.InvariantCulture)).ToArray();
                    else throw new ArgumentException($"Unknown word '{word}' in the wire frame \"{spec}\".");
                    break;
            }
        }
        if (opcode is not { } op || op is < 0 or > 15) throw new ArgumentException($"The wire frame \"{spec}\" names no opcode (text, binary, continuation, close, ping, pong, op=N).");
        if (rsv is < 0 or > 7) throw new ArgumentException($"rsv is 0–7, got {rsv}.");
        return new RawWireFrame(op, fin, payload ?? [], masked, rsv);
    }

    private static string? ErrorName(JsonElement response, bool direct = false)
    {
        var error = response;
        if (!direct && !response.TryGetProperty("error", out error)) return null;
        return error.ValueKind == JsonValueKind.Object && error.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
    }

    private static string ErrorMessage(JsonElement response) =>
        response.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()! : "";

    private static string Describe(JsonElement response)
    {
        var text = response.GetRawText();
        return text.Length > 200 ? text[..200] + $"… ({text.Length} characters)" : text;
    }
}
