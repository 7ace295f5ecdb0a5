Feature: Memberships and restarts in a cluster
  A socket that leaves a channel on one node stops getting its publications from every node, while the
  node's other subscribers keep them. A cluster whose node or broker restarts delivers again once it is
  back. The restart scenarios (@cluster-control) need control over the cluster's processes, which the
  suite has only for a cluster it starts itself (--cluster N, SC_TARGET=cluster); with external endpoints
  they are out of scope (spec/requirements.md, CL-008).

  Rule: Leaving a channel on one node ends only that membership

    @server @cluster @fixture @v1 @v2 @L3 @CL-005
    Scenario: A socket that unsubscribed on one node gets nothing published on another
      Given raw connection A has completed the handshake on node 1
      And A is subscribed to "leaving"
      And raw connection B has completed the handshake on node 1
      And B is subscribed to "leaving"
      And raw connection P has completed the handshake on node 2
      When A unsubscribes from "leaving"
      And A invokes "conformance.subscriptions" without data
      Then the invoke of A resolves with '[]'
      When P publishes '"after unsubscribe"' to "leaving" with invokePublish
      Then the invokePublish of P resolves without data
      And B receives on "leaving" exactly the publications '["after unsubscribe"]'
      And A receives no publication on "leaving" within 500 ms

    @server @cluster @fixture @v1 @v2 @L3 @CL-005
    Scenario: A socket kicked out on one node gets nothing published on another
      Given raw connection A has completed the handshake on node 1
      And A is subscribed to "kicked"
      And raw connection B has completed the handshake on node 1
      And B is subscribed to "kicked"
      And raw connection P has completed the handshake on node 2
      When A invokes "conformance.kickOut" with '{"channel":"kicked"}'
      Then the invoke of A resolves without data
      When P publishes '"after kickOut"' to "kicked" with invokePublish
      Then the invokePublish of P resolves without data
      And B receives on "kicked" exactly the publications '["after kickOut"]'
      And A receives no publication on "kicked" within 500 ms

  Rule: A cluster delivers again after a node or the broker restarted

    @server @cluster @cluster-control @v1 @v2 @L3 @CL-006
    Scenario: While node 1 restarts node 2 keeps delivering, and node 1 serves the channel again
      Given raw connection B has completed the handshake on node 2
      And B is subscribed to "restart"
      And raw connection P has completed the handshake on node 2
      And raw connection A has completed the handshake on node 1
      When node 1 of the cluster is stopped
      And P publishes '"while node 1 is down"' to "restart" with invokePublish
      Then the invokePublish of P resolves without data
      And B receives on "restart" exactly the publications '["while node 1 is down"]'
      When node 1 of the cluster is started again
      And raw connection A2 has completed the handshake on node 1
      And A2 is subscribed to "restart"
      And P publishes '"node 1 is back"' to "restart" every 200 ms until A2 receives it
      Then B receives the publication '"node 1 is back"' on "restart"

    @server @cluster @cluster-control @v1 @v2 @L3 @CL-007
    Scenario: After the broker restarted the held subscriptions are delivered again
      Given raw connection A has completed the handshake on node 1
      And A is subscribed to "broker-restart"
      And raw connection P has completed the handshake on node 2
      When the broker of the cluster is stopped
      And the broker of the cluster is started again
      Then P publishes '"broker is back"' to "broker-restart" every 200 ms until A receives it
