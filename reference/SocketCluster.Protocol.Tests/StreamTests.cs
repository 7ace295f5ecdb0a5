using System.Threading.Channels;
using SocketCluster.Protocol.Streams;

namespace SocketCluster.Protocol.Tests;

/// <summary>The stream type shared by server and client (ConsumableStream, StreamConsumer, StreamDemux).</summary>
public sealed class StreamTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_consumer_reads_every_item_in_write_order_then_ends_on_close()
    {
        var demux = new StreamDemux<int>(1024);
        await using var consumer = demux.CreateConsumer("n");
        for (var i = 0; i < 500; i++) await demux.WriteAsync("n", i, Token);
        demux.Close("n");

        var read = new List<int>();
        await foreach (var item in consumer.WithCancellation(Token)) read.Add(item);
        Assert.Equal(Enumerable.Range(0, 500), read);
    }

    [Fact]
    public async Task A_write_to_a_full_consumer_waits_until_the_consumer_reads()
    {
        var demux = new StreamDemux<int>(2);
        await using var consumer = demux.CreateConsumer("n");
        await demux.WriteAsync("n", 1, Token);
        await demux.WriteAsync("n", 2, Token);

        var third = demux.WriteAsync("n", 3, Token).AsTask();
        await Task.Delay(50, Token);
        Assert.False(third.IsCompleted); // bounded: the producer is held back, nothing is lost
        Assert.Equal(2, consumer.Backpressure);

        Assert.Equal(1, await consumer.NextAsync(Token));
        Assert.Equal(1, await third.WaitAsync(Long, Token));
        Assert.Equal(2, await consumer.NextAsync(Token));
        Assert.Equal(3, await consumer.NextAsync(Token));
        Assert.Equal(0, consumer.DroppedCount);
    }

    [Fact]
    public async Task An_emit_to_a_full_consumer_drops_the_item_and_counts_it_instead_of_waiting()
    {
        var demux = new StreamDemux<int>(2);
        await using var consumer = demux.CreateConsumer("n");
        for (var i = 1; i <= 5; i++) Assert.Equal(1, demux.Emit("n", i));

        Assert.Equal(3, consumer.DroppedCount);
        Assert.Equal(1, await consumer.NextAsync(Token));
        Assert.Equal(2, await consumer.NextAsync(Token));
        Assert.False(consumer.TryRead(out _));
    }

    [Fact]
    public async Task Close_ends_the_consumer_after_what_it_buffered_and_kill_drops_it_at_once()
    {
        var demux = new StreamDemux<string>(16);
        var closed = demux.CreateConsumer("closed");
        var killed = demux.CreateConsumer("killed");
        foreach (var name in new[] { "closed", "killed" })
        {
            demux.Emit(name, "a");
            demux.Emit(name, "b");
        }

        demux.Close("closed");
        demux.Kill("killed");

        Assert.Equal("a", await closed.NextAsync(Token));
        Assert.Equal("b", await closed.NextAsync(Token));
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await closed.NextAsync(Token));
        Assert.Equal(0, killed.Backpressure);
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await killed.NextAsync(Token));
        Assert.Equal(0, demux.ConsumerCount("closed") + demux.ConsumerCount("killed"));
        Assert.Equal(0, demux.Emit("closed", "late")); // a closed name has no consumers; later ones work as usual
    }

    [Fact]
    public async Task Close_and_kill_wake_a_reader_that_is_waiting()
    {
        var demux = new StreamDemux<int>(4);
        await using var closed = demux.CreateConsumer("c");
        await using var killed = demux.CreateConsumer("k");
        var closedWait = closed.MoveNextAsync().AsTask();
        var killedWait = killed.MoveNextAsync().AsTask();
        demux.Close("c");
        demux.Kill("k");
        Assert.False(await closedWait.WaitAsync(Long, Token));
        Assert.False(await killedWait.WaitAsync(Long, Token));
    }

    [Fact]
    public async Task A_cancelled_read_throws_and_leaves_the_consumer_usable()
    {
        var demux = new StreamDemux<int>(4);
        await using var consumer = demux.CreateConsumer("n");
        using var cts = new CancellationTokenSource();
        var waiting = consumer.NextAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Long, Token));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await consumer.NextAsync(cts.Token)); // already cancelled
        demux.Emit("n", 7);
        Assert.Equal(7, await consumer.NextAsync(Token));
    }

    [Fact]
    public async Task OnceAsync_times_out_with_the_official_TimeoutError_and_removes_its_consumer()
    {
        var demux = new StreamDemux<int>(4);
        var stream = demux.Stream("n");
        var error = await Assert.ThrowsAsync<ScTimeoutException>(() => stream.OnceAsync(TimeSpan.FromMilliseconds(20), Token));
        Assert.Equal("TimeoutError", error.Name);
        Assert.Equal("Stream consumer iteration timed out", error.Message);
        Assert.False(stream.HasConsumers);

        var once = stream.OnceAsync(Long, Token);
        demux.Emit("n", 5);
        Assert.Equal(5, await once);
        Assert.Equal(0, stream.ConsumerCount);
    }

    [Fact]
    public async Task Every_consumer_of_a_name_gets_every_item_written_after_its_creation()
    {
        var demux = new StreamDemux<int>(16);
        await using var first = demux.CreateConsumer("n");
        demux.Emit("n", 1);
        await using var second = demux.CreateConsumer("n");
        demux.Emit("n", 2);
        Assert.Equal(2, demux.ConsumerCount("n"));

        Assert.Equal(1, await first.NextAsync(Token));
        Assert.Equal(2, await first.NextAsync(Token));
        Assert.Equal(2, await second.NextAsync(Token));

        await first.DisposeAsync();
        Assert.Equal(1, demux.ConsumerCount("n"));
        Assert.Equal(1, demux.Emit("n", 3));
        Assert.Equal(3, await second.NextAsync(Token));
    }

    [Fact]
    public async Task Iterating_a_stream_consumes_it_only_while_the_loop_runs()
    {
        var demux = new StreamDemux<int>(16);
        var stream = demux.Stream("n");
        Assert.Equal(0, demux.Emit("n", 0)); // nobody consumes it yet: dropped, as officially

        var loop = Task.Run(async () =>
        {
            await foreach (var item in stream.WithCancellation(Token))
                if (item == 2) return item;
            return -1;
        }, Token);
        await WaitUntilAsync(() => stream.HasConsumers);
        demux.Emit("n", 1);
        demux.Emit("n", 2);
        Assert.Equal(2, await loop.WaitAsync(Long, Token));
        Assert.False(stream.HasConsumers); // leaving the loop disposed its consumer
    }

    [Fact]
    public async Task Two_loops_over_one_stream_each_get_every_item()
    {
        var demux = new StreamDemux<int>(16);
        var stream = demux.Stream("n");
        async Task<List<int>> Collect()
        {
            var items = new List<int>();
            await foreach (var item in stream.WithCancellation(Token)) items.Add(item);
            return items;
        }

        var loops = new[] { Task.Run(Collect, Token), Task.Run(Collect, Token) };
        await WaitUntilAsync(() => stream.ConsumerCount == 2);
        for (var i = 0; i < 10; i++) await demux.WriteAsync("n", i, Token);
        stream.Close();
        foreach (var loop in loops) Assert.Equal(Enumerable.Range(0, 10), await loop.WaitAsync(Long, Token));
    }

    [Fact]
    public async Task A_consumer_can_be_enumerated_only_once()
    {
        var demux = new StreamDemux<int>(4);
        await using var consumer = demux.CreateConsumer("n");
        _ = consumer.GetAsyncEnumerator(Token);
        Assert.Throws<InvalidOperationException>(() => consumer.GetAsyncEnumerator(Token));
    }

    [Fact]
    public async Task A_consumer_has_one_reader_at_a_time()
    {
        var demux = new StreamDemux<int>(4);
        await using var consumer = demux.CreateConsumer("n");
        var first = consumer.NextAsync(Token);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await consumer.NextAsync(Token));
        demux.Emit("n", 1);
        Assert.Equal(1, await first);
    }

    [Fact]
    public async Task After_EndAll_new_consumers_start_ended()
    {
        var demux = new StreamDemux<int>(4);
        var before = demux.CreateConsumer("n");
        demux.Emit("n", 1);
        demux.EndAll(kill: false);
        Assert.Equal(1, await before.NextAsync(Token));
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await before.NextAsync(Token));

        await using var after = demux.CreateConsumer("n");
        Assert.True(after.IsEnded);
        Assert.Equal(0, demux.Emit("n", 2));
        await Assert.ThrowsAsync<ChannelClosedException>(async () => await demux.Stream("n").OnceAsync(cancellationToken: Token));
    }

    [Fact]
    public async Task A_typed_stream_gets_the_items_of_its_type_only()
    {
        var demux = new StreamDemux<object>(8);
        await using var strings = demux.Stream<string>("e").CreateConsumer();
        await using var all = demux.Stream("e").CreateConsumer();
        demux.Emit("e", 1);
        demux.Emit("e", "two");
        Assert.Equal("two", await strings.NextAsync(Token));
        Assert.Equal(1, await all.NextAsync(Token));
        Assert.Equal("two", await all.NextAsync(Token));

        await strings.DisposeAsync();
        Assert.Equal(1, demux.ConsumerCount("e"));
    }

    [Fact]
    public async Task An_emitted_item_counts_as_handled_once_its_reader_asks_for_the_next_one()
    {
        var demux = new StreamDemux<int>(4);
        await using var consumer = demux.CreateConsumer("connection");
        var handled = new List<Task>();
        demux.Emit("connection", 1, handled);
        var done = Assert.Single(handled);

        Assert.Equal(1, await consumer.NextAsync(Token));
        Assert.False(done.IsCompleted); // the handler still runs (a server 'connection' handler attaching its consumers)
        var next = consumer.NextAsync(Token);
        await done.WaitAsync(Long, Token);
        demux.Emit("connection", 2);
        Assert.Equal(2, await next);
    }

    [Fact]
    public async Task Kill_releases_the_handled_tasks_of_the_items_it_drops()
    {
        var demux = new StreamDemux<int>(4);
        _ = demux.CreateConsumer("connection");
        var handled = new List<Task>();
        demux.Emit("connection", 1, handled);
        demux.Emit("connection", 2, handled);
        demux.KillAll();
        await Task.WhenAll(handled).WaitAsync(Long, Token);
    }

    [Fact]
    public async Task With_a_pump_emits_wait_for_room_in_order_and_close_follows_them()
    {
        var pump = new EventPump();
        var demux = new StreamDemux<int>(2, pump);
        var consumer = demux.CreateConsumer("n");
        for (var i = 0; i < 20; i++) demux.Emit("n", i); // never blocks the emitter, never drops
        demux.Close("n");

        var read = new List<int>();
        await foreach (var item in consumer.WithCancellation(Token)) read.Add(item);
        Assert.Equal(Enumerable.Range(0, 20), read);
        Assert.Equal(0, consumer.DroppedCount);
        await pump.CompleteAsync().WaitAsync(Long, Token);
    }

    [Fact]
    public void A_stream_costs_no_per_name_state_until_it_has_a_consumer()
    {
        var demux = new StreamDemux<int>(1024);
        _ = demux.Stream("warm-up");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var stream = demux.Stream("n");
        var after = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(after - before <= 40, $"a stream handle took {after - before} bytes");
        Assert.Equal(0, stream.ConsumerCount);
        Assert.Equal(0, demux.Backpressure());
    }

    /// <summary>
    /// Issue 13's memory target: the fixture keeps 16 consumers per socket waiting for their first item, so one must
    /// cost a few hundred bytes, not a bounded channel's kilobyte (its buffer is created by the first item to buffer).
    /// </summary>
    [Fact]
    public async Task A_consumer_waiting_for_its_first_item_holds_no_buffer()
    {
        const int count = 1000;
        var demux = new StreamDemux<int>(1024);
        var consumers = new StreamConsumer<int>[count];
        var waits = new ValueTask<bool>[count];
        var names = Enumerable.Range(0, count).Select(i => $"procedure{i}").ToArray(); // one consumer per name, as the fixture's
        for (var i = 0; i < 10; i++) _ = demux.CreateConsumer("warm-up").MoveNextAsync();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            consumers[i] = demux.CreateConsumer(names[i]);
            waits[i] = consumers[i].MoveNextAsync();
        }
        var perConsumer = (GC.GetAllocatedBytesForCurrentThread() - before) / count;
        // Measured 278 B: the consumer, its one-element array and its share of the demux dictionary (a bounded Channel
        // alone is about 1 KB).
        Assert.True(perConsumer < 320, $"a waiting consumer took {perConsumer} bytes");

        for (var i = 0; i < count; i++) demux.Emit(names[i], i);
        for (var i = 0; i < count; i++) Assert.True(await waits[i]);
        Assert.All(consumers, c => Assert.Equal(0, c.Backpressure)); // handed straight to the waiting reader
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Long;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within 10 s");
            await Task.Delay(5, Token);
        }
    }
}
