using System.Collections.Concurrent;

namespace SocketCluster.Client;

/// <summary>Where the client keeps its signed token between connections (the official authEngine).</summary>
public interface IAuthTokenStore
{
    /// <summary>The stored token, or null. A failure aborts the handshake (close 4003).</summary>
    Task<string?> LoadTokenAsync(string name);

    /// <summary>Stores the token. A failure is reported as a client 'error' event and changes nothing else.</summary>
    Task SaveTokenAsync(string name, string token);

    /// <summary>Removes the token and returns the one that was stored, or null.</summary>
    Task<string?> RemoveTokenAsync(string name);
}

/// <summary>The default store: an in-memory map (the official engine's fallback when localStorage is unavailable).</summary>
public sealed class InMemoryAuthTokenStore : IAuthTokenStore
{
    private readonly ConcurrentDictionary<string, string> _tokens = new();

    /// <summary>The token saved under the name, or null.</summary>
    public Task<string?> LoadTokenAsync(string name) => Task.FromResult(_tokens.GetValueOrDefault(name));

    /// <summary>Saves the token under the name, replacing any earlier one.</summary>
    public Task SaveTokenAsync(string name, string token)
    {
        _tokens[name] = token;
        return Task.CompletedTask;
    }

    /// <summary>Removes the name's token; returns it, or null if there was none.</summary>
    public Task<string?> RemoveTokenAsync(string name) =>
        Task.FromResult(_tokens.TryRemove(name, out var old) ? old : null);
}
