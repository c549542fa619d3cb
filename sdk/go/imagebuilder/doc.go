// Image templates, components and builds of Alibaba Cloud ECS Image Builder that run to their end and output each region's image id.
package imagebuilder
