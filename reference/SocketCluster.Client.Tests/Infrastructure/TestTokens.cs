using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SocketCluster.Client.Tests.Infrastructure;

/// <summary>HS256 JWTs minted like jsonwebtoken does (UTF-8 key bytes), for tokens the fixture server verifies.</summary>
public static class TestTokens
{
    public static string Mint(object payload, string key = ServerOptions.DefaultAuthKey)
    {
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8.ToArray());
        var body = Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes($"{header}.{body}")));
        return $"{header}.{body}.{signature}";
    }

    /// <summary>A valid token for the user, expiring in a day.</summary>
    public static string For(string username, string key = ServerOptions.DefaultAuthKey) =>
        Mint(new { username, exp = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds() }, key);

    /// <summary>Signed with another key: the server answers AuthTokenInvalidError "invalid signature".</summary>
    public static string WrongKey(string username) => For(username, "another-key-that-is-at-least-32-bytes-long!!");

    /// <summary>Structurally broken (the official suite's "invalid" case).</summary>
    public const string Malformed = "invalidtoken";

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
