namespace SharpBench.Jobs;

/// <summary>
/// The Lua scripts that make each queue operation one atomic round trip. Job records are
/// hashes, queues are streams read by the consumer group <c>workers</c>; a stream entry carries
/// only the job id. Scripts derive job and registry keys from the bench prefix (<c>sb:{bench_id}:</c>).
/// </summary>
internal static class RedisScripts
{
    /// <summary>
    /// KEYS: job hash, stream, site index. ARGV: deduplicate (1/0), score, wake channel, queue, id, field, value, ….
    /// Returns 0 when a queued or running job with that id exists and deduplicate is set.
    /// The first write is the XADD: Redis refuses a script's first write that needs memory when it
    /// is over <c>maxmemory</c>, and lets every later one through (it cannot stop a script halfway),
    /// so over the limit the enqueue fails whole instead of storing past the limit.
    /// </summary>
    public const string Enqueue = """
        if ARGV[1] == '1' then
          local st = redis.call('HGET', KEYS[1], 'status')
          if st == 'queued' or st == 'started' then return 0 end
        end
        local eid = redis.call('XADD', KEYS[2], '*', 'id', ARGV[5])
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], unpack(ARGV, 6))
        redis.call('HSET', KEYS[1], 'stream', KEYS[2], 'entry', eid)
        redis.call('ZADD', KEYS[3], ARGV[2], ARGV[5])
        redis.call('PUBLISH', ARGV[3], ARGV[4])
        return 1
        """;

    /// <summary>
    /// take(first KEYS index, group, worker, now, bench prefix, max): up to max entries from the first
    /// stream of KEYS[first..] (priority order) that has any whose job is still queued; each is
    /// marked started by the worker. Entries of canceled or deleted jobs are dropped.
    /// Returns a list of {stream, entry id, job fields…}, empty when every stream is.
    /// </summary>
    private const string Take = """
        local function take(first, group, worker, now, prefix, max)
          local out = {}
          for i = first, #KEYS do
            local key = KEYS[i]
            while #out < max do
              local r = redis.call('XREADGROUP', 'GROUP', group, worker, 'COUNT', max - #out, 'STREAMS', key, '>')
              if not r then break end
              for _, entry in ipairs(r[1][2]) do
                local eid = entry[1]
                local jkey = prefix .. 'job:' .. entry[2][2]
                if redis.call('HGET', jkey, 'status') == 'queued' then
                  redis.call('HSET', jkey, 'status', 'started', 'started_at', now, 'worker_name', worker, 'stream', key, 'entry', eid)
                  redis.call('HINCRBY', jkey, 'attempts', 1)
                  table.insert(out, {key, eid, redis.call('HGETALL', jkey)})
                else
                  redis.call('XACK', key, group, eid)
                  redis.call('XDEL', key, eid)
                end
              end
            end
            if #out > 0 then return out end
          end
          return out
        end

        """;

    /// <summary>
    /// failed(bench prefix, job key, now ms, limit, failure ttl s): files a failed job in its queue's
    /// registry <c>failed:{queue}</c> and trims the registry to the newest <c>rq_failed_jobs_limit</c>
    /// entries, deleting the records trimmed off (only those still failed: a re-queued id is kept).
    /// </summary>
    private const string Failed = """
        local function failed(prefix, jkey, now_ms, limit, ttl)
          local reg = prefix .. 'failed:' .. (redis.call('HGET', jkey, 'queue') or 'default')
          redis.call('ZADD', reg, now_ms, redis.call('HGET', jkey, 'id'))
          redis.call('ZREMRANGEBYSCORE', reg, '-inf', now_ms - ttl * 1000)
          local over = redis.call('ZCARD', reg) - limit
          if over > 0 then
            for _, id in ipairs(redis.call('ZRANGE', reg, 0, over - 1)) do
              local k = prefix .. 'job:' .. id
              if redis.call('HGET', k, 'status') == 'failed' then redis.call('DEL', k) end
            end
            redis.call('ZREMRANGEBYRANK', reg, 0, over - 1)
          end
        end

        """;

    /// <summary>KEYS: streams in priority order. ARGV: group, consumer (worker name), now, bench prefix, max.</summary>
    public const string Dequeue = Take + """
        return take(1, ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]))
        """;

    /// <summary>
    /// Completes a job and, when KEYS holds streams after the first two, takes the next one in the
    /// same round trip. KEYS: job hash, its stream, streams to take from (priority order, may be none).
    /// ARGV: group, entry id, ttl s, bench prefix, failed limit, now, now ms, worker, failure ttl s, max to take, field, value, ….
    /// The record is written before the entry is acknowledged, so a crash in between re-runs
    /// the job rather than losing its outcome. Returns like <see cref="Dequeue"/>.
    /// </summary>
    public const string Finish = Take + Failed + """
        if redis.call('EXISTS', KEYS[1]) == 1 then
          redis.call('HSET', KEYS[1], unpack(ARGV, 11))
          redis.call('EXPIRE', KEYS[1], ARGV[3])
          if redis.call('HGET', KEYS[1], 'status') == 'failed' then
            failed(ARGV[4], KEYS[1], tonumber(ARGV[7]), tonumber(ARGV[5]), tonumber(ARGV[9]))
          end
        end
        redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
        redis.call('XDEL', KEYS[2], ARGV[2])
        return take(3, ARGV[1], ARGV[8], ARGV[6], ARGV[4], tonumber(ARGV[10]))
        """;

    /// <summary>
    /// KEYS: streams. ARGV: group, consumer, now, bench prefix, grace ms, max deliveries, failure ttl, failed limit, now ms.
    /// Claims pending entries whose worker is gone (no heartbeat key) and that idled past the grace,
    /// or that idled past the job's own timeout plus the grace (the worker is alive but stuck).
    /// An entry delivered too often (it keeps killing workers) is marked failed instead.
    /// Returns a flat list {stream, entry id, job id, …} of claimed entries.
    /// </summary>
    public const string Reclaim = Failed + """
        local out = {}
        local grace = tonumber(ARGV[5])
        local prefix = ARGV[4]
        for _, key in ipairs(KEYS) do
          local pending = redis.call('XPENDING', key, ARGV[1], 'IDLE', grace, '-', '+', 50)
          for _, p in ipairs(pending) do
            local eid, owner, idle, deliveries = p[1], p[2], tonumber(p[3]), tonumber(p[4])
            local e = redis.call('XRANGE', key, eid, eid)
            local jid = e[1] and e[1][2][2]
            local jkey = jid and (prefix .. 'job:' .. jid)
            local timeout = jkey and tonumber(redis.call('HGET', jkey, 'timeout')) or 0
            local dead = owner ~= ARGV[2] and redis.call('EXISTS', prefix .. 'worker:' .. owner) == 0
            if dead or idle > timeout * 1000 + grace then
              if not jkey or redis.call('EXISTS', jkey) == 0 then
                redis.call('XACK', key, ARGV[1], eid)
                redis.call('XDEL', key, eid)
              elseif deliveries >= tonumber(ARGV[6]) then
                redis.call('HSET', jkey, 'status', 'failed', 'ended_at', ARGV[3],
                  'exc_info', 'The job was taken ' .. deliveries .. ' times and its worker stopped each time (killed or crashed); not retried again.')
                redis.call('EXPIRE', jkey, ARGV[7])
                failed(prefix, jkey, tonumber(ARGV[9]), tonumber(ARGV[8]), tonumber(ARGV[7]))
                redis.call('XACK', key, ARGV[1], eid)
                redis.call('XDEL', key, eid)
              else
                redis.call('XCLAIM', key, ARGV[1], ARGV[2], 0, eid)
                redis.call('HSET', jkey, 'status', 'started', 'started_at', ARGV[3], 'worker_name', ARGV[2], 'stream', key, 'entry', eid)
                redis.call('HINCRBY', jkey, 'attempts', 1)
                table.insert(out, key)
                table.insert(out, eid)
                table.insert(out, jid)
              end
            end
          end
        end
        return out
        """;
}
