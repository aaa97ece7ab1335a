#!/bin/bash
echo ECS_CLUSTER=openapi-devl-cluster >> /etc/ecs/ecs.config
