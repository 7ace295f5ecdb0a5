using System.Collections.Concurrent;
using System.Text.Json;
using Conformance.JsHosts.Jint;

namespace Conformance.JsHosts.Tests;

/// <summary>The Jint host's browser shims behave like a browser where the client (or a scenario) can tell.</summary>
public sealed class JintShimTests
{
    static async Task<string> Eval(JintDriverHost host, string script) =>
        (await host.EvaluateAsync(script, TestContext.Current.CancellationToken)).GetRawText();

    [Fact]
    public async Task URLSearchParams_serialises_and_parses_like_a_browser()
    {
        await using var host = await JintDriverHost.StartAsync(ct: TestContext.Current.CancellationToken);
        // Expected strings are what Chromium and Node print for the same calls.
        Assert.Equal("\"a=x+y&b=%21%27%28%29%7E*-._&c=%C3%A9%26%3D%2B\"",
            await Eval(host, "new URLSearchParams({a: 'x y', b: \"!'()~*-._\", c: 'é&=+'}).toString()"));
        Assert.Equal("""[["1","2"],"  c",null,true,"a=9&b=++c"]""", await Eval(host, """
            (() => {
              const p = new URLSearchParams('?a=1&a=2&b=%20+c');
              const all = p.getAll('a');
              const b = p.get('b');
              const missing = p.get('zzz');
              p.set('a', '9');
              return [all, b, missing, p.has('b'), p.toString()];
            })()
            """));
        Assert.Equal("\"k=v&k=w\"", await Eval(host, "(() => { const p = new URLSearchParams(); for (const [k, v] of [['k','v'],['k','w']]) p.append(k, v); return String(p); })()"));
    }

    [Fact]
    public async Task Timers_run_as_tasks_with_microtasks_drained_between_them()
    {
        await using var host = await JintDriverHost.StartAsync(ct: TestContext.Current.CancellationToken);
        Assert.Equal("""["t1","m1","t2","arg","i1","i2","i3"]""", await Eval(host, """
            new Promise((resolve) => {
              const log = [];
              setTimeout(() => { log.push('t1'); Promise.resolve().then(() => log.push('m1')); }, 0);
              setTimeout(() => log.push('t2'), 0);
              setTimeout((x) => log.push(x), 1, 'arg');
              const never = setTimeout(() => log.push('never'), 2);
              clearTimeout(never);
              setTimeout(() => {
                let n = 0;
                const iv = setInterval(() => {
                  log.push('i' + (++n));
                  if (n === 3) { clearInterval(iv); setTimeout(() => resolve(log), 20); }
                }, 5);
              }, 10);
            })
            """));
    }

    [Fact]
    public async Task An_uncaught_error_in_a_timer_is_reported_and_the_loop_goes_on()
    {
        var console = new ConcurrentQueue<string>();
        await using var host = await JintDriverHost.StartAsync(console.Enqueue, TestContext.Current.CancellationToken);
        Assert.Equal("\"still running\"", await Eval(host, """
            new Promise((resolve) => {
              setTimeout(() => { throw new Error('boom from a timer'); }, 0);
              setTimeout(() => resolve('still running'), 5);
            })
            """));
        Assert.Contains(console, line => line.Contains("boom from a timer"));
    }

    [Fact]
    public async Task WebSocket_validates_like_a_browser()
    {
        await using var host = await JintDriverHost.StartAsync(ct: TestContext.Current.CancellationToken);
        Assert.Equal("\"SyntaxError\"", await Eval(host, "(() => { try { new WebSocket('http://127.0.0.1:1/'); } catch (e) { return e.name; } })()"));
        Assert.Equal("""["InvalidStateError","InvalidAccessError","SyntaxError",0,1,3]""", await Eval(host, """
            (() => {
              const ws = new WebSocket('ws://127.0.0.1:9/');
              const names = [];
              try { ws.send('x'); } catch (e) { names.push(e.name); }
              try { ws.close(1001); } catch (e) { names.push(e.name); }
              try { ws.close(1000, 'x'.repeat(124)); } catch (e) { names.push(e.name); }
              ws.close();
              return [...names, ws.CONNECTING, WebSocket.OPEN, WebSocket.CLOSED];
            })()
            """));
    }

    [Fact]
    public async Task WebSocket_to_a_closed_port_fires_error_then_close_1006()
    {
        await using var host = await JintDriverHost.StartAsync(ct: TestContext.Current.CancellationToken);
        int port = UnusedPort();
        Assert.Equal("""["error",["close",1006,false],3]""", await Eval(host, $$"""
            new Promise((resolve) => {
              const ws = new WebSocket('ws://127.0.0.1:{{port}}/socketcluster/');
              const log = [];
              ws.onerror = () => log.push('error');
              ws.addEventListener('close', (e) => { log.push(['close', e.code, e.wasClean]); log.push(ws.readyState); resolve(log); });
            })
            """));
    }

    [Fact]
    public async Task Crypto_localStorage_and_console_are_present()
    {
        var console = new ConcurrentQueue<string>();
        await using var host = await JintDriverHost.StartAsync(console.Enqueue, TestContext.Current.CancellationToken);
        var result = JsonDocument.Parse(await Eval(host, """
            (() => {
              const bytes = crypto.getRandomValues(new Uint8Array(32));
              let typeError = null;
              try { crypto.getRandomValues(new Float32Array(2)); } catch (e) { typeError = e.name; }
              localStorage.setItem('n', 5);
              console.log('hello', {a: 1});
              return {uuid: crypto.randomUUID(), distinct: new Set(bytes).size > 4, typeError,
                stored: localStorage.getItem('n'), missing: localStorage.getItem('none'), window: window === globalThis};
            })()
            """)).RootElement;
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", result.GetProperty("uuid").GetString()!);
        Assert.True(result.GetProperty("distinct").GetBoolean());
        Assert.Equal("TypeMismatchError", result.GetProperty("typeError").GetString());
        Assert.Equal("5", result.GetProperty("stored").GetString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("missing").ValueKind);
        Assert.True(result.GetProperty("window").GetBoolean());
        Assert.Contains("[log] hello {\"a\":1}", console);
    }

    [Fact]
    public async Task Hosts_do_not_share_globals_or_localStorage()
    {
        await using var first = await JintDriverHost.StartAsync(ct: TestContext.Current.CancellationToken);
        await using var second = await JintDriverHost.StartAsync(ct: TestContext.Current.CancellationToken);
        await Eval(first, "(() => { localStorage.setItem('socketcluster.authToken', 'secret'); globalThis.leak = 1; return null; })()");
        Assert.Equal("[null,\"undefined\"]", await Eval(second, "[localStorage.getItem('socketcluster.authToken'), typeof leak]"));
        Assert.Equal("20.0.2", second.ClientVersion);
    }

    static int UnusedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
