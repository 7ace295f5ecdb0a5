using System.Security.Cryptography;
using Jint;
using Jint.Native;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace Conformance.JsHosts.Jint;

/// <summary>host.randomUUID / host.randomBytes behind the prelude's crypto.randomUUID and crypto.getRandomValues.</summary>
internal static class CryptoShim
{
    public static void Install(JsObject host, Engine engine)
    {
        // Guid.NewGuid is a random (version 4) UUID; "D" is the lower-case 8-4-4-4-12 form randomUUID returns.
        host.Set("randomUUID", new ClrFunction(engine, "randomUUID", (_, _) => new JsString(Guid.NewGuid().ToString("D"))));
        host.Set("randomBytes", new ClrFunction(engine, "randomBytes", (_, args) =>
        {
            double count = TypeConverter.ToNumber(HostArgs.At(args, 0));
            if (!(count is >= 0 and <= 65536)) throw new JavaScriptException("randomBytes: count out of range (0-65536)");
            byte[] bytes = RandomNumberGenerator.GetBytes((int)count);
            var values = new JsValue[bytes.Length];
            for (int i = 0; i < bytes.Length; i++) values[i] = JsNumber.Create(bytes[i]);
            return new JsArray(engine, values);
        }));
    }
}
