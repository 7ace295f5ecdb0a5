using Jint;
using Jint.Native;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace Conformance.JsHosts.Jint;

/// <summary>host.setTimer / host.clearTimer behind the prelude's setTimeout, setInterval and their clear functions.</summary>
internal static class TimersShim
{
    public static void Install(JsObject host, Engine engine, EventLoop loop)
    {
        host.Set("setTimer", new ClrFunction(engine, "setTimer", (_, args) =>
        {
            var callback = HostArgs.At(args, 0);
            double delay = TypeConverter.ToNumber(HostArgs.At(args, 1));
            bool repeat = TypeConverter.ToBoolean(HostArgs.At(args, 2));
            return loop.AddTimer(delay, repeat, () => engine.Invoke(callback));
        }));
        host.Set("clearTimer", new ClrFunction(engine, "clearTimer", (_, args) =>
        {
            double id = TypeConverter.ToNumber(HostArgs.At(args, 0));
            if (id is >= 1 and <= int.MaxValue) loop.ClearTimer((int)id);
            return JsValue.Undefined;
        }));
    }
}

internal static class HostArgs
{
    public static JsValue At(JsValue[] args, int index) => index < args.Length ? args[index] : JsValue.Undefined;
}
