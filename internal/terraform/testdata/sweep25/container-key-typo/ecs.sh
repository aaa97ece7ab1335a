#!/bin/bash
echo ECS_CLUSTER=tech-challenge-ecs-cluster >> /etc/ecs/ecs.config
