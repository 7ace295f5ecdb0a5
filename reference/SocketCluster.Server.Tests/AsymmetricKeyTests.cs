using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SocketCluster.Protocol;
using SocketCluster.Server.Auth;
using SocketCluster.Server.Options;
using SocketCluster.Server.Tests.Infrastructure;

namespace SocketCluster.Server.Tests;

/// <summary>authPrivateKey/authPublicKey with RS256 and ES256 (issue 14 §2; RB-040: the HS/RS confusion is refused).</summary>
public sealed class AsymmetricKeyTests
{
    private static (string Private, string Public) Pems(string alg)
    {
        if (alg == "RS256")
        {
            using var rsa = RSA.Create(2048);
            return (rsa.ExportRSAPrivateKeyPem(), rsa.ExportSubjectPublicKeyInfoPem());
        }
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (ec.ExportECPrivateKeyPem(), ec.ExportSubjectPublicKeyInfoPem());
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("ES256")]
    public async Task A_token_signed_with_the_private_key_verifies_with_the_public_key_only(string alg)
    {
        var (privateKey, publicKey) = Pems(alg);
        var engine = new JwtAuthEngine();
        var token = await engine.SignTokenAsync(new JsonObject { ["username"] = "bob" }, new AuthSignContext(privateKey, alg, 60));
        var header = JsonDocument.Parse(Convert.FromBase64String(Pad(token.Split('.')[0]))).RootElement;
        Assert.Equal(alg, header.GetProperty("alg").GetString());

        var claims = await engine.VerifyTokenAsync(JsonSerializer.SerializeToElement(token), new AuthVerifyContext(publicKey, [alg], null));
        Assert.Equal("bob", claims.GetProperty("username").GetString());

        var (_, otherPublic) = Pems(alg);
        var wrongKey = await Assert.ThrowsAsync<ScError>(() =>
            engine.VerifyTokenAsync(JsonSerializer.SerializeToElement(token), new AuthVerifyContext(otherPublic, [alg], null)));
        Assert.Equal("invalid signature", wrongKey.Message);
    }

    /// <summary>HS/RS confusion: an HS256 token whose HMAC key is the server's public key (which everybody may know).</summary>
    [Fact]
    public async Task An_HS256_token_made_with_the_public_key_as_secret_is_refused()
    {
        var (_, publicKey) = Pems("RS256");
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Base64Url("""{"username":"mallory"}""");
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(publicKey), Encoding.ASCII.GetBytes($"{header}.{payload}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var forged = $"{header}.{payload}.{signature}";
        var error = await Assert.ThrowsAsync<ScError>(() =>
            new JwtAuthEngine().VerifyTokenAsync(JsonSerializer.SerializeToElement(forged), new AuthVerifyContext(publicKey, ["RS256"], null)));
        Assert.Equal("invalid algorithm", error.Message);
    }

    [Fact]
    public async Task A_server_with_a_key_pair_authenticates_its_own_tokens_at_the_handshake()
    {
        var (privateKey, publicKey) = Pems("ES256");
        await using var host = await TestHost.StartAsync(o =>
        {
            o.AuthKey = null;
            o.AuthPrivateKey = privateKey;
            o.AuthPublicKey = publicKey;
            o.AuthAlgorithm = "ES256";
        });
        var token = await host.Server.AuthEngine.SignTokenAsync(new JsonObject { ["username"] = "bob" },
            new AuthSignContext(host.Server.SignatureKey, host.Server.SigningAlgorithm, 60));
        await using var client = await host.ConnectAsync();
        var response = await client.HandshakeAsync(token);
        Assert.True(response.GetProperty("data").GetProperty("isAuthenticated").GetBoolean(), response.ToString());
    }

    [Theory]
    [InlineData("publicOnly", "authPrivateKey")]
    [InlineData("noAlgorithm", "authAlgorithm")]
    [InlineData("hsAlgorithm", "authAlgorithm")]
    [InlineData("notPem", "authPrivateKey")]
    [InlineData("withAuthKey", "authKey")]
    public void Bad_key_pair_options_fail_at_start_up_naming_the_option(string setup, string option)
    {
        var (privateKey, publicKey) = Pems("RS256");
        var options = new SocketClusterServerOptions { AuthPrivateKey = privateKey, AuthPublicKey = publicKey, AuthAlgorithm = "RS256" };
        switch (setup)
        {
            case "publicOnly": options.AuthPrivateKey = null; break;
            case "noAlgorithm": options.AuthAlgorithm = null; break;
            case "hsAlgorithm": options.AuthAlgorithm = "HS256"; break;
            case "notPem": options.AuthPrivateKey = "not a key"; break;
            case "withAuthKey": options.AuthKey = TestHost.AuthKey; break;
        }
        var error = Assert.Throws<InvalidSocketClusterOptionsException>(() => SocketClusterServerOptionsValidator.Validate(options));
        Assert.Equal(option, error.Option);
    }

    private static string Base64Url(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Pad(string segment)
    {
        var s = segment.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - s.Length % 4) % 4);
    }
}
