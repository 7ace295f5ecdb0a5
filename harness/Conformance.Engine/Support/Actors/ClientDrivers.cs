using System.Collections.Concurrent;
using Conformance.Engine.Drivers;

namespace Conformance.Engine.Support;

/// <summary>
/// The client drivers of a run by name (csharp, node, chromium, jint). A driver is created on first use and shared by
/// all scenarios (a browser or a Node process is expensive); each scenario creates and destroys its own handles.
/// </summary>
public sealed class ClientDrivers(ConformanceSession session) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Func<ConformanceSession, CancellationToken, Task<IClientDriver>>> _factories =
        new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Lazy<Task<IClientDriver>>> _drivers = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Names => _factories.Keys.Order().ToList();

    /// <summary>Registers (or replaces) how to create the driver called <paramref name="name"/>.</summary>
    public void Register(string name, Func<ConformanceSession, CancellationToken, Task<IClientDriver>> factory) => _factories[name] = factory;

    public Task<IClientDriver> GetAsync(string name)
    {
        EnsureDefaults();
        if (!_factories.TryGetValue(name, out var factory))
            throw new InvalidOperationException(
                $"No client driver named '{name}'. Known drivers: {string.Join(", ", Names)}.");
        var lazy = _drivers.GetOrAdd(name, _ => new Lazy<Task<IClientDriver>>(() => factory(session, CancellationToken.None)));
        return lazy.Value;
    }

    private readonly Lock _defaultsLock = new();
    private bool _defaultsRegistered;

    // Parallel scenarios ask at once: every caller waits until the defaults are in (a flag set before registering let
    // a second caller through to an empty table).
    private void EnsureDefaults()
    {
        lock (_defaultsLock)
        {
            if (_defaultsRegistered) return;
            Drivers.DefaultDrivers.Register();
            foreach (var (name, factory) in DefaultFactories) _factories.TryAdd(name, factory);
            Drivers.Adapters.ClientAdapters.Register(this, session.Settings.ClientAdapters);
            _defaultsRegistered = true;
        }
    }

    /// <summary>Drivers every session knows (filled by the engine's driver adapters).</summary>
    public static ConcurrentDictionary<string, Func<ConformanceSession, CancellationToken, Task<IClientDriver>>> DefaultFactories { get; } =
        new(StringComparer.OrdinalIgnoreCase);

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _drivers.Values)
        {
            if (!lazy.IsValueCreated) continue;
            try { await (await lazy.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false); }
            catch (Exception) { /* a driver that failed to start has nothing to dispose */ }
        }
        _drivers.Clear();
    }
}
