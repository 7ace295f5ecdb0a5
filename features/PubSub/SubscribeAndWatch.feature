Feature: Subscribe to a channel and watch for messages
  socket.subscribe(channel) sends a #subscribe request {"channel": name} with a cid. The server answers
  {"rid":N} without data once the socket is a member; the client's channel then moves from pending to
  subscribed, and "for await (let data of channel)" yields every publication on that channel.

  Rule: The server manages channel memberships

    @server @fixture @v1 @v2 @L3 @PS-002 @S75
    Scenario: A subscribe request is acknowledged without data and creates a membership
      Given raw connection A has completed the handshake
      When A subscribes to "foo"
      Then the subscribe of A resolves without data
      When A invokes "conformance.subscriptions" without data
      Then the invoke of A resolves with '["foo"]'

    @server @fixture @v1 @v2 @L3 @PS-002
    Scenario: Subscribing twice to the same channel succeeds both times
      Given raw connection A has completed the handshake
      And A is subscribed to "foo"
      When A subscribes to "foo"
      Then the subscribe of A resolves without data
      When A invokes "conformance.subscriptions" without data
      Then the invoke of A resolves with '["foo"]'

    @server @fixture @v1 @v2 @L3 @PS-005
    Scenario: The server accepts subscribe options and does not enforce waitForAuth
      Given raw connection A has completed the handshake
      When A subscribes to "private" with options '{"waitForAuth":true,"data":{"k":1}}'
      Then the subscribe of A resolves without data
      When A invokes "conformance.subscriptions" without data
      Then the invoke of A resolves with '["private"]'

    @server @fixture @v1 @v2 @L3 @PS-004 @not-v14
    Scenario: A subscribe without a cid subscribes nothing
      Given raw connection A has completed the handshake
      When A sends '{"event":"#subscribe","data":{"channel":"nocid"}}'
      And A invokes "conformance.subscriptions" without data
      Then the invoke of A resolves with '[]'
      When A invokes "conformance.publish" with '{"channel":"nocid","data":"lost"}'
      Then A receives no publication on "nocid" within 500 ms

  Rule: Clients subscribe and deliver publications to the channel's consumers

    Background:
      Given the known-good server is running

    @client @fixture @v1 @v2 @L3 @PS-001 @PS-017 @S75
    Scenario: A client subscribes with a #subscribe request and becomes subscribed
      Given a client C is connected
      And channel "foo" of C is unsubscribed
      When C subscribes to "foo"
      Then channel "foo" of C becomes subscribed
      And C emits subscribe with '{"channel":"foo"}'
      And the known-good server receives from C a frame matching '{"event":"#subscribe","data":{"channel":"foo"},"cid":"<number>"}'
      When C invokes "conformance.subscriptions" without data
      Then the invoke of C resolves with '["foo"]'

    @client @fixture @v1 @v2 @L3 @PS-017 @S49
    Scenario: A subscribed client receives the channel's publications
      Given a client C is connected
      And C is subscribed to "foo"
      When C invokes "conformance.publish" with '{"channel":"foo","data":{"text":"hi"}}'
      Then C receives the publication '{"text":"hi"}' on "foo"

    @client @fixture @v1 @v2 @L3 @PS-022 @S54
    Scenario: A client sends its subscribe data and never the priority
      Given a client C is connected
      When C subscribes to "opts" with options '{"data":{"foo":123},"priority":5}'
      Then channel "opts" of C becomes subscribed
      And the known-good server receives from C a frame matching '{"event":"#subscribe","data":{"channel":"opts","data":{"foo":123},"priority":"<absent>"}}'
